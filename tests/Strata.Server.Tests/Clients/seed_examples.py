"""Drives Strata with the real 0.8 Python client (Debian python3-influxdb, module influxdb.influxdb08).

Usage: /usr/bin/python3 seed_examples.py PORT
Prints one line per checked call; exits non-zero on the first mismatch.
"""
import sys

from influxdb.influxdb08 import InfluxDBClient

port = int(sys.argv[1])
client = InfluxDBClient('127.0.0.1', port, 'root', 'root', 'seed')


def check(label, actual, expected):
    if actual != expected:
        print("FAIL %s: expected %r, got %r" % (label, expected, actual))
        sys.exit(1)
    print("ok %s" % label)


check("create_database", client.create_database('seed'), True)
check("get_list_database", [d['name'] for d in client.get_list_database()], ['seed'])

client.write_points([
    {"name": "events", "columns": ["state", "email", "type"],
     "points": [["ny", "paul@influxdb.org", "follow"], ["ny", "todd@influxdb.org", "open"]]},
    {"name": "errors", "columns": ["class", "file", "user", "severity"],
     "points": [["DivideByZero", "example.py", "someguy@influxdb.org", "fatal"]]},
])
print("ok write_points events/errors")

client.write_points([
    {"name": "response_times", "columns": ["time", "value"],
     "points": [[1382819388, 234.3], [1382819389, 120.1], [1382819380, 340.9]]},
], time_precision='s')
print("ok write_points response_times time_precision=s")

result = client.query('select * from response_times', time_precision='s')
check("response_times name", result[0]['name'], 'response_times')
check("response_times columns", result[0]['columns'], ['time', 'sequence_number', 'value'])
check("response_times times newest first", [p[0] for p in result[0]['points']], [1382819389, 1382819388, 1382819380])
check("response_times values", [p[2] for p in result[0]['points']], [120.1, 234.3, 340.9])

result = client.query('select * from response_times', time_precision='ms')
check("time_precision=ms", [p[0] for p in result[0]['points']], [1382819389000, 1382819388000, 1382819380000])

client.write_points([{"name": "precise", "columns": ["time", "v"], "points": [[1382819388123456, 1]]}], time_precision='u')
check("time_precision=u round trip", client.query('select v from precise', time_precision='u')[0]['points'][0][0], 1382819388123456)
client.write_points([{"name": "precise", "columns": ["time", "v"], "points": [[1382819389123, 2]]}], time_precision='ms')
check("time_precision=ms", client.query('select v from precise', time_precision='ms')[0]['points'][0][0], 1382819389123)

batched = [{"name": "batched", "columns": ["time", "v"], "points": [[1382819000 + i, i] for i in range(25)]}]
client.write_points(batched, time_precision='s', batch_size=10)
check("batch_size splits but stores everything", len(client.query('select v from batched')[0]['points']), 25)

events = client.query('select * from events')
check("events columns", sorted(events[0]['columns']), sorted(['time', 'sequence_number', 'state', 'email', 'type']))
emails = [p[events[0]['columns'].index('email')] for p in events[0]['points']]
check("events newest first", emails, ['todd@influxdb.org', 'paul@influxdb.org'])

errors = client.query("select severity from errors where class = 'DivideByZero'")
check("errors where", [p[2] for p in errors[0]['points']], ['fatal'])

chunked = client.query('select * from response_times', time_precision='s', chunked=True)
check("chunked", [p[0] for s in chunked for p in s['points']], [1382819389, 1382819388, 1382819380])

check("get_list_series", sorted(client.get_list_series()), ['batched', 'errors', 'events', 'precise', 'response_times'])

client.query('select * from events into events.copy')
check("get_list_continuous_queries", client.get_list_continuous_queries(), ['select * from "events" into events.copy'])
client.query('drop continuous query 1')
check("continuous query dropped", client.get_list_continuous_queries(), [])

check("get_database_list", [d['name'] for d in client.get_database_list()], ['seed'])
client.switch_db('seed')
check("write_points_with_precision", client.write_points_with_precision([{"name": "wpp", "columns": ["time", "v"], "points": [[1382819388, 1]]}], 's'), True)
check("delete_points", client.delete_points('wpp'), True)
fails_write = False
try:
    client.write({"database": "seed", "points": []})  # the 0.9 /write path: absent in 0.8.8 and in Strata
except Exception:
    fails_write = True
check("write (0.9 path) is refused as by 0.8.8", fails_write, True)

check("delete_series", client.delete_series('errors'), True)
check("series after delete", sorted(client.get_list_series()), ['batched', 'events', 'precise', 'response_times'])

check("delete_database", client.delete_database('seed'), True)
check("databases after delete", client.get_list_database(), [])
print("all ok")
