using OwlFactory.Agent.Execution;

namespace OwlFactory.Agent.Tests.Execution;

public sealed class OutputLineTests
{
    [Theory]
    [InlineData("OWL_PROGRESS 45.5", 45.5)]
    [InlineData("OWL_PROGRESS 100\r", 100)]
    [InlineData("OWL_PROGRESS 250", 100)]
    [InlineData("OWL_PROGRESS -3", 0)]
    public void Parse_ProgressLine_GivesClampedProgress(string line, double expected)
    {
        var parsed = OutputLine.Parse(line);

        Assert.Equal(OutputLineKind.Progress, parsed.Kind);
        Assert.Equal(expected, parsed.Progress);
    }

    [Theory]
    [InlineData("OWL_PROGRESS abc")]
    [InlineData("OWL_PROGRESS NaN")]
    [InlineData("progress 50")]
    [InlineData("owl_progress 50")]
    public void Parse_NotAProgressDirective_IsALogLine(string line)
    {
        Assert.Equal(OutputLineKind.Log, OutputLine.Parse(line).Kind);
    }

    [Fact]
    public void Parse_ResultWithNonObjectJson_WrapsItAsValue()
    {
        var parsed = OutputLine.Parse("OWL_RESULT [1,2]");

        Assert.Equal(OutputLineKind.Result, parsed.Kind);
        Assert.Equal("""{"value":[1,2]}""", parsed.Result!.ToJsonString());
    }

    [Fact]
    public void Parse_ResultWithBrokenJson_IsInvalidResult()
    {
        var parsed = OutputLine.Parse("OWL_RESULT {\"a\":");

        Assert.Equal(OutputLineKind.InvalidResult, parsed.Kind);
        Assert.NotNull(parsed.Error);
    }
}
