using System.Globalization;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Security;

namespace DbAdapter.PowerShell.Tests.Support;

/// <summary>
/// A host that records what PowerShell writes to it: "What if:" lines of ShouldProcess go to the host,
/// not to a stream. Prompts are refused, so a test that forgets -Confirm:$false fails loudly.
/// </summary>
public sealed class CapturingHost : PSHost
{
    private readonly CapturingUi _ui = new();

    public IReadOnlyList<string> Lines => _ui.Lines;

    public override string Name => "DbAdapter.Tests";

    public override Version Version => new(1, 0);

    public override Guid InstanceId { get; } = Guid.NewGuid();

    public override PSHostUserInterface UI => _ui;

    public override CultureInfo CurrentCulture => CultureInfo.InvariantCulture;

    public override CultureInfo CurrentUICulture => CultureInfo.InvariantCulture;

    public override void SetShouldExit(int exitCode)
    {
    }

    public override void EnterNestedPrompt() => throw new NotSupportedException();

    public override void ExitNestedPrompt() => throw new NotSupportedException();

    public override void NotifyBeginApplication()
    {
    }

    public override void NotifyEndApplication()
    {
    }

    private sealed class CapturingUi : PSHostUserInterface
    {
        private readonly List<string> _lines = [];
        private readonly System.Text.StringBuilder _partial = new();

        public IReadOnlyList<string> Lines
        {
            get
            {
                lock (_lines)
                {
                    return _lines.ToList();
                }
            }
        }

        public override PSHostRawUserInterface? RawUI => null;

        public override void Write(string value)
        {
            lock (_lines)
            {
                _partial.Append(value);
            }
        }

        public override void Write(ConsoleColor foregroundColor, ConsoleColor backgroundColor, string value) => Write(value);

        public override void WriteLine(string value)
        {
            lock (_lines)
            {
                _lines.Add(_partial + value);
                _partial.Clear();
            }
        }

        public override void WriteErrorLine(string value) => WriteLine(value);

        public override void WriteDebugLine(string message) => WriteLine(message);

        public override void WriteVerboseLine(string message) => WriteLine(message);

        public override void WriteWarningLine(string message) => WriteLine(message);

        public override void WriteProgress(long sourceId, ProgressRecord record)
        {
        }

        public override string ReadLine() => throw new NotSupportedException("Tests cannot answer prompts.");

        public override SecureString ReadLineAsSecureString() => throw new NotSupportedException("Tests cannot answer prompts.");

        public override Dictionary<string, PSObject> Prompt(string caption, string message, System.Collections.ObjectModel.Collection<FieldDescription> descriptions) =>
            throw new NotSupportedException("Tests cannot answer prompts.");

        public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName) =>
            throw new NotSupportedException("Tests cannot answer prompts.");

        public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName, PSCredentialTypes allowedCredentialTypes, PSCredentialUIOptions options) =>
            throw new NotSupportedException("Tests cannot answer prompts.");

        public override int PromptForChoice(string caption, string message, System.Collections.ObjectModel.Collection<ChoiceDescription> choices, int defaultChoice) =>
            throw new NotSupportedException("Tests cannot answer prompts.");
    }
}
