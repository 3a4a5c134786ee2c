"""Statistics: rollups written with the events (rollup), the window a call asks about (window),
what is live now (realtime), what happened in a window (cumulative), and the live feed (feed)."""
