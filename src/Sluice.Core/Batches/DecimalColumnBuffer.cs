using Apache.Arrow.Types;

namespace Sluice.Core.Batches;

/// <summary>
/// Arrow decimal128: the unscaled value at the column's scale as a 128-bit integer. Values arrive as System.Decimal,
/// as decimal text (up to 38 digits, beyond System.Decimal) or already unscaled; a value that needs more digits than
/// the column's precision, or fractional digits beyond its scale, fails rather than being rounded.
/// </summary>
internal sealed class DecimalColumnBuffer(Decimal128Type type) : FixedWidthColumnBuffer<Int128>(type)
{
    private readonly Int128 _limit = DecimalText.Pow10(type.Precision);

    public override void Append(decimal value)
    {
        Span<int> bits = stackalloc int[4];
        decimal.GetBits(value, bits);
        var mantissa = ((Int128)(uint)bits[2] << 64) | ((Int128)(uint)bits[1] << 32) | (uint)bits[0];
        var scale = (bits[3] >> 16) & 0xFF;
        AppendUnscaled(DecimalText.Rescale(bits[3] < 0 ? -mantissa : mantissa, scale, type.Scale, value));
    }

    public override void Append(long value) => AppendUnscaled(DecimalText.Rescale(value, 0, type.Scale, value));
    public override void Append(string value) => AppendUnscaled(DecimalText.ParseUnscaled(value, type.Scale));
    public override void AppendDecimalText(string value) => AppendUnscaled(DecimalText.ParseUnscaled(value, type.Scale));

    public override void AppendUnscaled(Int128 unscaled)
    {
        if (unscaled >= _limit || unscaled <= -_limit)
            throw new OverflowException($"{DecimalText.Format(unscaled, type.Scale)} does not fit decimal({type.Precision},{type.Scale})");
        AppendValue(unscaled);
    }
}
