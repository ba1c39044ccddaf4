"""The Python client's write_points(..., use_udp=True) against Strata's UDP JSON input.

Usage: /usr/bin/python3 udp.py UDP_PORT
"""
import sys

from influxdb.influxdb08 import InfluxDBClient

client = InfluxDBClient('127.0.0.1', 1, 'root', 'root', 'udpdb', use_udp=True, udp_port=int(sys.argv[1]))
client.write_points([{"name": "udp_series", "columns": ["time", "value"], "points": [[1400000000, 1.5], [1400000001, 2]]}])
print("sent")
