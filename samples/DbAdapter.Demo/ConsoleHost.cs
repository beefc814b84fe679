using System.Globalization;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Security;

namespace DbAdapter.Demo;

/// <summary>
/// The smallest host that lets Out-Default render the module's format views to this console.
/// Prompts are not supported: the runbook passes -Confirm:$false where it means it.
/// </summary>
internal sealed class ConsoleHost : PSHost
{
    private readonly ConsoleUi _ui = new();

    public override string Name => "DbAdapter.Demo";

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

    private sealed class ConsoleUi : PSHostUserInterface
    {
        private readonly ConsoleRawUi _raw = new();

        public override PSHostRawUserInterface RawUI => _raw;

        public override void Write(string value) => Console.Write(Plain(value));

        public override void Write(ConsoleColor foregroundColor, ConsoleColor backgroundColor, string value) => Console.Write(Plain(value));

        public override void WriteLine(string value) => Console.WriteLine(Plain(value));

        // Table headers carry ANSI styling; a log file or a pipe should get plain text.
        private static string Plain(string value) =>
            Console.IsOutputRedirected ? System.Text.RegularExpressions.Regex.Replace(value, "\u001b\\[[0-9;]*m", string.Empty) : value;

        public override void WriteErrorLine(string value) => Console.WriteLine("ERROR: " + value);

        public override void WriteDebugLine(string message) => Console.WriteLine("DEBUG: " + message);

        public override void WriteVerboseLine(string message) => Console.WriteLine("VERBOSE: " + message);

        public override void WriteWarningLine(string message) => Console.WriteLine("WARNING: " + message);

        public override void WriteProgress(long sourceId, ProgressRecord record)
        {
            // Progress bars would interleave with the tables in a captured log; leave them out.
        }

        public override string ReadLine() => throw new NotSupportedException("The demo host cannot prompt.");

        public override SecureString ReadLineAsSecureString() => throw new NotSupportedException("The demo host cannot prompt.");

        public override Dictionary<string, PSObject> Prompt(string caption, string message, System.Collections.ObjectModel.Collection<FieldDescription> descriptions) =>
            throw new NotSupportedException("The demo host cannot prompt.");

        public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName) =>
            throw new NotSupportedException("The demo host cannot prompt.");

        public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName, PSCredentialTypes allowedCredentialTypes, PSCredentialUIOptions options) =>
            throw new NotSupportedException("The demo host cannot prompt.");

        public override int PromptForChoice(string caption, string message, System.Collections.ObjectModel.Collection<ChoiceDescription> choices, int defaultChoice) =>
            throw new NotSupportedException("The demo host cannot prompt.");
    }

    private sealed class ConsoleRawUi : PSHostRawUserInterface
    {
        public override ConsoleColor ForegroundColor { get; set; } = ConsoleColor.Gray;

        public override ConsoleColor BackgroundColor { get; set; } = ConsoleColor.Black;

        public override Coordinates CursorPosition { get; set; }

        public override Coordinates WindowPosition { get; set; }

        public override int CursorSize { get; set; }

        public override Size BufferSize { get; set; } = new(160, 9999);

        public override Size WindowSize { get; set; } = new(160, 50);

        public override Size MaxWindowSize => new(160, 50);

        public override Size MaxPhysicalWindowSize => new(160, 50);

        public override bool KeyAvailable => false;

        public override string WindowTitle { get; set; } = "DbAdapter demo";

        public override KeyInfo ReadKey(ReadKeyOptions options) => throw new NotSupportedException();

        public override void FlushInputBuffer()
        {
        }

        public override void SetBufferContents(Coordinates origin, BufferCell[,] contents)
        {
        }

        public override void SetBufferContents(Rectangle rectangle, BufferCell fill)
        {
        }

        public override BufferCell[,] GetBufferContents(Rectangle rectangle) => new BufferCell[0, 0];

        public override void ScrollBufferContents(Rectangle source, Coordinates destination, Rectangle clip, BufferCell fill)
        {
        }
    }
}
