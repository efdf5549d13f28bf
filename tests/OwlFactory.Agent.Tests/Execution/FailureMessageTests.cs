using OwlFactory.Agent.Execution;

namespace OwlFactory.Agent.Tests.Execution;

public sealed class FailureMessageTests
{
    [Fact]
    public void ForExitCode_NoStderr_IsJustTheExitCode()
    {
        Assert.Equal("exit code 137", FailureMessage.ForExitCode(137, []));
    }

    [Fact]
    public void ForExitCode_HugeStderr_IsCutTo2000CharsKeepingTheEnd()
    {
        var lines = Enumerable.Range(1, 20).Select(i => new string('x', 300) + $" line {i}").ToList();

        var message = FailureMessage.ForExitCode(2, lines);

        Assert.Equal(FailureMessage.MaxLength, message.Length);
        Assert.StartsWith("exit code 2:\n…", message, StringComparison.Ordinal);
        Assert.EndsWith(" line 20", message, StringComparison.Ordinal);
    }
}
