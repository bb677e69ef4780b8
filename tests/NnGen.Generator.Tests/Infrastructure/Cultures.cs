using System;
using System.Globalization;

namespace NnGen.Generator.Tests.Infrastructure
{
    /// <summary>A culture that formats numbers unlike the invariant one, and a way to run code under it.</summary>
    internal static class Cultures
    {
        /// <summary>A U+2212 minus sign, a decimal comma and a no-break space between groups.</summary>
        public static CultureInfo Unusual()
        {
            var culture = (CultureInfo)CultureInfo.InvariantCulture.Clone();
            culture.NumberFormat.NegativeSign = "\u2212";
            culture.NumberFormat.NumberDecimalSeparator = ",";
            culture.NumberFormat.NumberGroupSeparator = "\u00A0";
            return culture;
        }

        public static T In<T>(CultureInfo culture, Func<T> action)
        {
            CultureInfo savedCulture = CultureInfo.CurrentCulture;
            CultureInfo savedUiCulture = CultureInfo.CurrentUICulture;
            try
            {
                CultureInfo.CurrentCulture = culture;
                CultureInfo.CurrentUICulture = culture;
                return action();
            }
            finally
            {
                CultureInfo.CurrentCulture = savedCulture;
                CultureInfo.CurrentUICulture = savedUiCulture;
            }
        }
    }
}
