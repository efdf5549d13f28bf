using OwlFactory.Database.Batching;
using OwlFactory.Database.Notifications;

namespace OwlFactory.Tests.Notifications;

public sealed class NoticePayloadTests
{
    [Fact]
    public void Write_CountsByKey_AndReadGivesThemBack()
    {
        var payloads = NoticePayload.Write([new("c", "gpu a"), new("c", "gpu a"), new("c", "x=y,z")]).ToList();

        var payload = Assert.Single(payloads);
        Assert.Equal([("gpu a", 2L), ("x=y,z", 1L)], NoticePayload.Read(payload)!);
    }

    [Fact]
    public void Write_ManyKeys_SplitsIntoPayloadsUnderTheLimit_LosingNone()
    {
        var ids = Enumerable.Range(0, 600).Select(_ => Guid.NewGuid()).ToList();

        var payloads = NoticePayload.Write(ids.Select(id => AccountChanges.Notice(id, 7))).ToList();

        Assert.True(payloads.Count > 1);
        Assert.All(payloads, p => Assert.InRange(p.Length, 1, NoticePayload.MaxLength));
        var heard = payloads.SelectMany(p => AccountChanges.Read(p)!).ToList();
        Assert.Equal(ids, heard.Select(h => h.Id));
        Assert.All(heard, h => Assert.Equal(7, h.Version));
    }

    [Fact]
    public void AccountChanges_SayWhetherAChangeRevokesTokens()
    {
        var id = Guid.NewGuid();
        var payload = Assert.Single(NoticePayload.Write([AccountChanges.Notice(id, 3), AccountChanges.Notice(id, 4, revokes: true)]));

        Assert.Equal([(id, 3L, false), (id, 4L, true)], AccountChanges.Read(payload)!);
    }

    [Fact]
    public void Write_AKeyTooLongToSend_SaysSomethingHappened()
    {
        var payloads = NoticePayload.Write([new BatchNotice("c", new string('k', NoticePayload.MaxLength))]).ToList();

        Assert.Null(NoticePayload.Read(Assert.Single(payloads)));
    }
}
