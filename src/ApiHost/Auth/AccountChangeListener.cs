using Npgsql;
using OwlFactory.Database.Notifications;

namespace OwlFactory.ApiHost.Auth;

/// <summary>This host's ear on <see cref="AccountChanges"/>: feeds <see cref="SessionCache"/>, and darkens it while deaf.</summary>
internal sealed class AccountChangeListener(NpgsqlDataSource dataSource, SessionCache sessions, ILogger<AccountChangeListener> logger)
    : ChannelListener(dataSource, AccountChanges.Channel, logger)
{
    protected override void OnListening() => sessions.GoLive();

    protected override void OnNotice(string payload) => sessions.Heard(payload);

    protected override void OnLost() => sessions.GoDark();
}
