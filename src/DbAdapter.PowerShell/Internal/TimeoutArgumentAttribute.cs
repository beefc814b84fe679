using System.Globalization;
using System.Management.Automation;
using DbAdapter.Core.Configuration;

namespace DbAdapter.PowerShell.Internal;

/// <summary>
/// Lets a timeout parameter take what a person types: a TimeSpan ('00:00:05', New-TimeSpan), a number
/// of seconds (5, 0.5) rather than PowerShell's default of ticks, or PostgreSQL's duration syntax
/// ('2s', '500ms', '1min', as db.toml's lock_timeout). Refuses negative values and values above what
/// PostgreSQL takes (about 24 days); 0 means no limit.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
internal sealed class TimeoutArgumentAttribute : ArgumentTransformationAttribute
{
    public override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
    {
        var value = inputData is PSObject wrapped ? wrapped.BaseObject : inputData;
        var timeout = value switch
        {
            TimeSpan span => span,
            int or long or short or byte => TimeSpan.FromSeconds(Convert.ToInt64(value, CultureInfo.InvariantCulture)),
            double or float or decimal => TimeSpan.FromSeconds(Convert.ToDouble(value, CultureInfo.InvariantCulture)),
            string text when double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) => TimeSpan.FromSeconds(seconds),
            string text when PostgresDuration.TryParse(text, out var parsed) => parsed,
            string text when TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var parsed) => parsed,
            _ => throw new ArgumentTransformationMetadataException(
                $"'{value}' is not a timeout: give a TimeSpan ('00:00:05'), a number of seconds (5) or a PostgreSQL duration ('5s', '500ms', '1min')."),
        };

        if (timeout < TimeSpan.Zero || timeout > PostgresDuration.Maximum)
        {
            throw new ArgumentTransformationMetadataException($"A timeout must be between 0 (no limit) and {PostgresDuration.Maximum.TotalDays:0} days, not {timeout}.");
        }

        return timeout;
    }
}
