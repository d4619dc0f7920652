"""Load on the Slack front-end in HTTP mode: many signed slash commands at once, and a burst from one member.

The real adapter listens on 127.0.0.1 (a free port); `fake_slack` stands in
for slack.com. Slack gives an app 3 seconds to acknowledge a command, and
retries nothing: every command must be acknowledged in time and stored
exactly once, whatever the concurrency.
"""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from itertools import product

from adapters.slack.app import SlackAdapter
from fake_slack import FakeSlack, running, send_slash_command, slash_payload, http_config

BOT = "xoxb-load-bot-token"
SECRET = "load-signing-secret"
TEAM = "T0001"
CLIENTS = 20
PER_CLIENT = 10
SLACK_ACK_LIMIT = 3.0  # seconds before Slack shows the member "dispatch_failed"
BURST_LIMIT = 8  # logs_per_minute for the burst test
SLACK_STALL = 2.0  # seconds the response URLs take to answer while Slack is struggling
SLACK_STALLED_REPLIES = 16  # replies caught in it: twice as many as the adapter has reply threads


def make_config(tmp_path, fake, logs_per_minute):
    return http_config(tmp_path / "data", fake, BOT, SECRET, limits={"logs_per_minute": logs_per_minute})


def members(fake, n):
    users = [f"U{i:03d}" for i in range(n)]
    for user in users:
        fake.add_user(user, f"Membre {user}")
    return users


def test_two_hundred_commands_from_twenty_clients_are_each_acknowledged_in_time_and_stored_once(tmp_path):
    from bot.core.coach import Coach
    from bot.store import open_store

    with FakeSlack(team_id=TEAM) as fake:
        users = members(fake, CLIENTS)
        # Slack's response URLs hang for a moment during the burst: the replies wait, acknowledgements must not
        fake.delay("hook", SLACK_STALL, times=SLACK_STALLED_REPLIES)
        config = make_config(tmp_path, fake, logs_per_minute=PER_CLIENT * 3)
        store = open_store(config.data_dir)
        try:
            with running(SlackAdapter(Coach(config, store), config, env={})) as adapter:
                url = f"http://127.0.0.1:{adapter.bound_port}/slack/events"

                def client(user):
                    """One member's client: ten logs in a row, each with its own count so each event is traceable."""
                    results = []
                    for count in range(1, PER_CLIENT + 1):
                        response_url = fake.new_response_url()
                        payload = slash_payload("/ia-log", f"text {count} mistral", user_id=user,
                                                response_url=response_url)
                        results.append((user, count, response_url, send_slash_command(url, SECRET, payload)))
                    return results

                started = time.monotonic()
                with ThreadPoolExecutor(max_workers=CLIENTS) as pool:
                    sent = [r for results in pool.map(client, users) for r in results]
                assert len(sent) == CLIENTS * PER_CLIENT
                assert [s.status for *_, s in sent] == [200] * len(sent)
                slowest = max(s.seconds for *_, s in sent)
                assert slowest < SLACK_ACK_LIMIT, f"slowest acknowledgement {slowest:.2f} s"

                # every member gets exactly one answer per command, each at its own response URL
                fake.wait_for(lambda: all(fake.delivered_to(u) for *_, u, _ in sent), timeout=40)
                time.sleep(0.3)
                assert all(len(fake.posts_to(u)) == 1 for *_, u, _ in sent)
                assert time.monotonic() - started < 45

            events = {user: store.member_events(TEAM, user) for user in users}
        finally:
            store.close()

    all_events = [e for evs in events.values() for e in evs]
    assert len(all_events) == CLIENTS * PER_CLIENT
    assert len({e.id for e in all_events}) == len(all_events)  # no event twice
    stored = sorted((e.user, e.count) for e in all_events)
    assert stored == sorted(product(users, range(1, PER_CLIENT + 1)))  # each command exactly once


def test_a_burst_from_one_member_over_the_rate_limit_is_refused_politely_and_not_stored(tmp_path):
    from bot.core.coach import Coach
    from bot.store import open_store

    with FakeSlack(team_id=TEAM) as fake:
        (user, other) = members(fake, 2)
        config = make_config(tmp_path, fake, logs_per_minute=BURST_LIMIT)
        store = open_store(config.data_dir)
        coach = Coach(config, store)
        refused_title = coach.notice("rate_limited", "fr").title
        try:
            with running(SlackAdapter(coach, config, env={})) as adapter:
                url = f"http://127.0.0.1:{adapter.bound_port}/slack/events"

                def one(i):
                    response_url = fake.new_response_url()
                    payload = slash_payload("/ia-log", "image 1", user_id=user, response_url=response_url)
                    return response_url, send_slash_command(url, SECRET, payload)

                with ThreadPoolExecutor(max_workers=6) as pool:
                    burst = list(pool.map(one, range(BURST_LIMIT + 6)))
                assert all(s.status == 200 and s.seconds < SLACK_ACK_LIMIT for _, s in burst)
                fake.wait_for(lambda: all(fake.delivered_to(u) for u, _ in burst), timeout=20)
                headers = [fake.delivered_to(u)[0]["blocks"][0]["text"]["text"] for u, _ in burst]

                # someone else is not slowed down by that burst
                response_url = fake.new_response_url()
                send_slash_command(url, SECRET, slash_payload("/ia-log", "image 1", user_id=other,
                                                              response_url=response_url))
                other_header = fake.wait_for(lambda: fake.delivered_to(response_url))[0]["blocks"][0]["text"]["text"]
            burst_events = store.member_events(TEAM, user)
            other_events = store.member_events(TEAM, other)
        finally:
            store.close()

    assert headers.count(refused_title) == 6
    logged = [h.split(" · ")[0] for h in headers if h != refused_title]  # what was logged, then the week's zone
    assert logged == ["1 image notée"] * BURST_LIMIT
    assert len(burst_events) == BURST_LIMIT  # the refused ones left nothing behind
    assert other_header.startswith("1 image notée · ") and len(other_events) == 1
