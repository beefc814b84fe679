using System.Globalization;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Security;
using System.Text;
using System.Text.RegularExpressions;

namespace DbAdapter.TestSupport.Hosting;

/// <summary>
/// The smallest PowerShell host that hands every line written to it (Out-Default's views, "What if:"
/// lines, warnings) to a callback. Prompts are refused: callers pass -Confirm:$false where they mean
/// it. Compiled into the project that hosts PowerShell (the module tests) by a link, so that this
/// library itself stays free of System.Management.Automation.
/// </summary>
public sealed partial class LineHost(Action<string> writeLine, bool plainText) : PSHost
{
    private readonly LineUi _ui = new(writeLine, plainText);

    public override string Name => "DbAdapter.LineHost";

    public override Version Version => new(1, 0);

    public override Guid InstanceId { get; } = Guid.NewGuid();

    public override PSHostUserInterface UI => _ui;

    /// <summary>Progress records written to the host itself (not to a stream), in order.</summary>
    public IReadOnlyList<ProgressRecord> Progress => _ui.Progress;

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

    [GeneratedRegex("\u001b\\[[0-9;]*m")]
    private static partial Regex AnsiSequence();

    private sealed class LineUi(Action<string> writeLine, bool plainText) : PSHostUserInterface
    {
        private readonly StringBuilder _partial = new();
        private readonly object _gate = new();

        private readonly List<ProgressRecord> _progress = [];

        public override PSHostRawUserInterface RawUI { get; } = new WideRawUi();

        public override void Write(string value)
        {
            lock (_gate)
            {
                _partial.Append(value);
            }
        }

        public override void Write(ConsoleColor foregroundColor, ConsoleColor backgroundColor, string value) => Write(value);

        public override void WriteLine(string value)
        {
            string line;
            lock (_gate)
            {
                line = _partial + value;
                _partial.Clear();
            }

            writeLine(plainText ? AnsiSequence().Replace(line, string.Empty) : line);
        }

        public override void WriteErrorLine(string value) => WriteLine("ERROR: " + value);

        public override void WriteDebugLine(string message) => WriteLine("DEBUG: " + message);

        public override void WriteVerboseLine(string message) => WriteLine("VERBOSE: " + message);

        public override void WriteWarningLine(string message) => WriteLine("WARNING: " + message);

        public override void WriteProgress(long sourceId, ProgressRecord record)
        {
            // Progress bars would interleave with the captured lines: they are kept as records.
            lock (_progress)
            {
                _progress.Add(record);
            }
        }

        public IReadOnlyList<ProgressRecord> Progress
        {
            get
            {
                lock (_progress)
                {
                    return _progress.ToList();
                }
            }
        }

        public override string ReadLine() => throw Refused();

        public override SecureString ReadLineAsSecureString() => throw Refused();

        public override Dictionary<string, PSObject> Prompt(string caption, string message, System.Collections.ObjectModel.Collection<FieldDescription> descriptions) => throw Refused();

        public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName) => throw Refused();

        public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName, PSCredentialTypes allowedCredentialTypes, PSCredentialUIOptions options) => throw Refused();

        public override int PromptForChoice(string caption, string message, System.Collections.ObjectModel.Collection<ChoiceDescription> choices, int defaultChoice) => throw Refused();

        private static NotSupportedException Refused() => new("This host cannot prompt: pass -Confirm:$false or the value itself.");
    }

    private sealed class WideRawUi : PSHostRawUserInterface
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

        public override string WindowTitle { get; set; } = "DbAdapter";

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
