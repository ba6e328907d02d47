using Berth.Domain.Auth;
using Berth.Tests.Support;
using Berth.WebConsole;

namespace Berth.Tests.WebConsole;

public sealed class ConsoleSessionsTests
{
    private static readonly Principal Root = Principal.Root("111111111111", "aws");

    [Fact]
    public void A_session_ends_after_an_idle_hour_and_twelve_hours_after_sign_in_however_busy()
    {
        var time = new FixedTimeProvider(new DateTimeOffset(2026, 12, 7, 0, 0, 0, TimeSpan.Zero));
        var sessions = new ConsoleSessions(time);
        var idle = sessions.Start(Root, "AKIA1", "us-east-1");
        Assert.NotEqual(idle.Id, idle.CsrfToken);

        time.Advance(TimeSpan.FromMinutes(59));
        Assert.Same(idle, sessions.Find(idle.Id));
        time.Advance(TimeSpan.FromMinutes(61));
        Assert.Null(sessions.Find(idle.Id));

        // A request every 50 minutes keeps a session only until 12 h after sign-in: found at 0, 50, …, 700 minutes.
        var busy = sessions.Start(Root, "AKIA1", "us-east-1");
        Assert.NotEqual(idle.Id, busy.Id);
        var busyFound = 0;
        for (var i = 0; i < 16; i++)
        {
            busyFound += sessions.Find(busy.Id) is null ? 0 : 1;
            time.Advance(TimeSpan.FromMinutes(50));
        }

        Assert.Null(sessions.Find(busy.Id));
        Assert.Equal(15, busyFound);
    }

    [Fact]
    public void Sign_out_ends_a_session_and_unknown_ids_find_nothing()
    {
        var sessions = new ConsoleSessions(TimeProvider.System);
        var session = sessions.Start(Root, null, "us-east-1");
        sessions.End(session.Id);
        Assert.Null(sessions.Find(session.Id));
        Assert.Null(sessions.Find(null));
        Assert.Null(sessions.Find("not-a-session"));
    }
}
