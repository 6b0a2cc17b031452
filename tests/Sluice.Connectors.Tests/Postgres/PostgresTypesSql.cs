namespace Sluice.Connectors.Tests.Postgres;

/// <summary>A table with every PostgreSQL type the connector maps, and rows hitting the edges of each.</summary>
internal static class PostgresTypesSql
{
    public const string Setup = """
        create extension if not exists citext;
        create type mood as enum ('sad', 'happy', 'ü 😀');
        create table all_types (
            id int primary key,
            c_int2 int2, c_int4 int4, c_int8 int8, c_float4 float4, c_float8 float8,
            c_num numeric(12,2), c_num38 numeric(38,6), c_numbig numeric(60,10), c_numfree numeric,
            c_text text, c_varchar varchar(20), c_char char(5), c_citext citext, c_name name,
            c_bytea bytea, c_bool bool, c_date date, c_time time, c_timetz timetz, c_ts timestamp, c_tstz timestamptz,
            c_interval interval, c_uuid uuid, c_json json, c_jsonb jsonb, c_enum mood,
            c_intarr int[], c_textarr text[], c_inet inet);
        insert into all_types values
        (1, 1, 2, 3, 1.5, 2.25, 1234.56, 1.5, 2.5, 3.14159,
         'plain', 'v', 'ab', 'CaSe', 'nm',
         '\x0102', true, '2024-02-29', '12:34:56.789', '12:00:00+02', '2024-01-01 10:00:00.123456', '2024-01-01 10:00:00.654321+00',
         '1 day 02:03:04', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '{"a": 1}', '{"b": [1, 2]}', 'happy',
         '{1,2,3}', '{x,y}', '192.168.0.1'),
        (2, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
         null, null, null, null, null, null, null, null, null, null, null, null, null, null, null),
        (3, -32768, 2147483647, -9223372036854775808, 'NaN', 'Infinity',
         9999999999.99, '12345678901234567890123456789012.123456', '12345678901234567890123456789012345678901234567890.1234567891',
         '123456789012345678901234567890123456789012345678901234567890.123456789',
         '😀 Ünïcødé 表 "q" ''s'' \ back', 'tab	x', 'z', 'ÄÖ', 'n2',
         '\x00ff00', false, '1900-02-28', '23:59:59.999999', '01:02:03.456789-05:30', 'infinity', '-infinity',
         '-1 years -2 mons +3 days -04:05:06.5', '00000000-0000-0000-0000-000000000000', '{"a": [1, 2, {"b": null}], "s": "é"}', '[]', 'ü 😀',
         '{1,NULL,3}', '{"a b","c\"d",NULL}', '10.0.0.0/8'),
        (4, 32767, -2147483648, 9223372036854775807, '-Infinity', '-Infinity',
         -0.01, '-0.000001', '-1', 'NaN',
         '', '', '', '', '',
         '\x', true, '2200-12-31', '00:00:00', '00:00:00+00', '1850-01-01 00:00:00.000001', '2150-06-01 12:00:00+00',
         '0', 'ffffffff-ffff-ffff-ffff-ffffffffffff', 'null', '"text"', 'sad',
         '{}', '{}', '::1'),
        (5, 0, 0, 0, 'Infinity', 'NaN',
         0, 0, 0, '-0.00000000000000000000000000000000000000000000000001',
         'x', 'x', 'x', 'x', 'x',
         '\xdeadbeef', false, 'infinity', '24:00:00', '23:59:59-12:00', '-infinity', 'infinity',
         'P1Y2M3W4DT5H6M7.25S', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '1', '3.5', 'happy',
         '{{1,2},{3,4}}', '{""}', '255.255.255.255'),
        (6, 1, 1, 1, 1, 1, 1, 1, 1, '1e-3', 'x', 'x', 'x', 'x', 'x', '\x00', true, '-infinity', '00:00:01', '00:00:01+14', '1970-01-01', '1969-12-31 23:59:59.999999+00',
         '-00:00:00.000001', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '{}', '{}', 'sad', '{-1}', '{a}', '1.2.3.4');
        create view all_types_view as select id, c_text from all_types;
        """;
}
