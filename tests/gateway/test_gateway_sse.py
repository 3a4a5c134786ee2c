"""Server-streaming RPCs as Server-Sent Events."""

from __future__ import annotations

import json

STREAM = "/taskrouter/events/stream"


def parse_events(lines) -> list[dict]:
    """SSE lines → [{"id": ..., "event": ..., "data": ...}]; comments kept under "comment"."""
    events, current = [], {}
    for line in lines:
        if line == "":
            if current:
                events.append(current)
            current = {}
        elif line.startswith(":"):
            current.setdefault("comment", []).append(line[1:].strip())
        else:
            key, _, value = line.partition(": ")
            current[key] = value
    if current:
        events.append(current)
    return events


def test_events_stream_with_last_event_id(client, recorder):
    with client.stream(
        "GET", STREAM, params={"workspaceSid": "WSevents", "afterId": "0"}, headers={"Last-Event-ID": "5"}
    ) as r:
        assert r.status_code == 200
        assert r.headers["content-type"].startswith("text/event-stream")
        assert r.headers["cache-control"] == "no-cache"
        events = [e for e in parse_events(r.iter_lines()) if "data" in e]
    sent = recorder.last("WatchEvents")
    assert sent.workspace_sid == "WSevents" and sent.after_id == 5  # the header wins over the query
    assert [e["id"] for e in events] == ["6", "7", "8"]
    assert [e["event"] for e in events] == ["task.created", "task.created", "reservation.created"]
    first = json.loads(events[0]["data"])
    assert first["id"] == 6 and isinstance(first["id"], int)  # int64 as a number here too
    assert first["sid"] == "EV6" and first["eventData"] == '{"a": 1}'


def test_query_sets_after_id_without_header(client, recorder):
    with client.stream("GET", STREAM, params={"workspaceSid": "WSevents", "afterId": "41"}) as r:
        events = [e for e in parse_events(r.iter_lines()) if "data" in e]
    assert recorder.last("WatchEvents").after_id == 41
    assert events[0]["id"] == "42"


def test_heartbeat_while_idle_and_cancel_on_disconnect(client, recorder):
    recorder.watch_ended.clear()
    with client.stream("GET", STREAM, params={"workspaceSid": "WSidle"}) as r:
        assert r.status_code == 200
        seen = []
        for line in r.iter_lines():
            seen.append(line)
            if line == ": heartbeat":
                break
    assert ": heartbeat" in seen
    assert recorder.watch_ended.wait(5), "the gRPC stream was not cancelled after the client left"


def test_error_before_the_stream_starts_is_an_http_error(client):
    r = client.get(STREAM, params={"workspaceSid": "WSdenied"})
    assert r.status_code == 401
    assert r.headers["www-authenticate"] == 'Basic realm="taskrouter"'
    assert r.json() == {"errorCode": "401", "message": "Authentication required", "data": ""}


def test_error_after_the_stream_started_is_an_error_event(client):
    with client.stream("GET", STREAM, params={"workspaceSid": "WSfail"}) as r:
        assert r.status_code == 200
        events = [e for e in parse_events(r.iter_lines()) if "data" in e]
    assert events[0]["id"] == "1"
    assert events[-1]["event"] == "error"
    assert json.loads(events[-1]["data"]) == {
        "errorCode": "520",
        "message": "Sid of passed workspace is not found",
        "data": "WSfail",
    }


def test_bad_last_event_id_is_400(client):
    r = client.get(STREAM, params={"workspaceSid": "WSevents"}, headers={"Last-Event-ID": "abc"})
    assert r.status_code == 400
    assert r.json()["data"] == "Last-Event-ID"
