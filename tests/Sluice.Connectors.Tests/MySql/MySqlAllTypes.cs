namespace Sluice.Connectors.Tests.MySql;

/// <summary>A table with a column of every MySQL/MariaDB type the connector maps, and rows at the edges.</summary>
internal static class MySqlAllTypes
{
    public const string Table = "all_types";

    public const string Create = """
        create table all_types (
          id int primary key,
          b tinyint(1), ti tinyint, tiu tinyint unsigned, si smallint, siu smallint unsigned,
          mi mediumint, miu mediumint unsigned, i int, iu int unsigned, bi bigint, biu bigint unsigned,
          d decimal(12,2), d30 decimal(30,10), d65 decimal(65,30), f float, dbl double,
          bit1 bit(1), bit12 bit(12),
          c char(10), vc varchar(100), tx text, ltx longtext,
          bn binary(4), vb varbinary(50), bl blob, lbl longblob,
          e enum('a','b','c'), st set('x','y','z'),
          dt date, dtm datetime(6), ts timestamp(6) null, tm time(6), yr year,
          js json, uu uuid, pt point
        )
        """;

    // sql_mode '' lets the zero dates in; row 3 is the zero-date row, row 2 all NULL.
    public const string Insert = """
        set session sql_mode = '', time_zone = '+00:00';
        insert into all_types values
        (1, 1, 127, 255, 32767, 65535, 8388607, 16777215, 2147483647, 4294967295, 9223372036854775807, 18446744073709551615,
         1234567890.12, 12345678901234567890.0123456789, 12345678901234567890123456789012345.123456789012345678901234567890,
         1.5, 3.141592653589793, b'1', b'101010101010',
         'abc', 'héllo wörld', 'emoji 😀🎉 and 表', repeat('long text ', 1000),
         x'0102', x'00ff00', x'deadbeef00', repeat(x'00ff', 5000),
         'b', 'x,z', '2024-02-29', '2024-02-29 13:14:15.123456', '2038-01-19 03:14:07.999999', '23:59:59.999999', 2155,
         '{"k": [1, "two", null], "n": {"a": true}}', '123e4567-e89b-12d3-a456-426614174000', ST_GeomFromText('POINT(1 2)')),
        (2, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
         null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null),
        (3, 0, -128, 0, -32768, 0, -8388608, 0, -2147483648, 0, -9223372036854775808, 0,
         -9999999999.99, -0.0000000001, -99999999999999999999999999999999999.999999999999999999999999999999,
         -0.25, -1e300, b'0', b'0',
         '', '', '', '', x'', x'', x'', x'',
         'a', '', '0000-00-00', '0000-00-00 00:00:00', '1970-01-01 00:00:01', '00:00:00', 1901,
         '[]', '00000000-0000-0000-0000-000000000000', ST_GeomFromText('POINT(0 0)'))
        """;

    public static readonly string[] Columns =
    [
        "id", "b", "ti", "tiu", "si", "siu", "mi", "miu", "i", "iu", "bi", "biu", "d", "d30", "d65", "f", "dbl", "bit1", "bit12",
        "c", "vc", "tx", "ltx", "bn", "vb", "bl", "lbl", "e", "st", "dt", "dtm", "ts", "tm", "yr", "js", "uu",
    ];
}
