using System;

namespace NnGen.Runtime.Tests
{
    /// <summary>Reports on the training thread, unlike Progress&lt;T&gt;, which posts them.</summary>
    internal sealed class OnReport : IProgress<EpochReport>
    {
        private readonly Action<EpochReport> _report;

        public OnReport(Action<EpochReport> report) => _report = report;

        public void Report(EpochReport value) => _report(value);
    }
}
