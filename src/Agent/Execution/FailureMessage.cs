using System.Globalization;
using System.Text;

namespace OwlFactory.Agent.Execution;

internal static class FailureMessage
{
    public const int MaxLength = 2000;

    /// <summary>
    /// "exit code N", then the last stderr lines. Past <see cref="MaxLength"/> the oldest stderr text goes first:
    /// the end of stderr is where the reason usually is.
    /// </summary>
    public static string ForExitCode(int exitCode, IReadOnlyList<string> stderrTail)
    {
        ArgumentNullException.ThrowIfNull(stderrTail);
        var head = string.Create(CultureInfo.InvariantCulture, $"exit code {exitCode}");
        var lines = stderrTail.Where(l => !string.IsNullOrWhiteSpace(l)).ToList();
        if (lines.Count == 0)
        {
            return head;
        }

        var tail = string.Join('\n', lines);
        var room = MaxLength - head.Length - 2;
        if (tail.Length > room)
        {
            const string Ellipsis = "…";
            tail = Ellipsis + tail[^(room - Ellipsis.Length)..];
        }

        return new StringBuilder(head).Append(":\n").Append(tail).ToString();
    }
}
