"""The 0.8 Python client's user and cluster-admin methods against Strata.

Usage: /usr/bin/python3 users.py PORT
"""
import sys

from influxdb.influxdb08 import InfluxDBClient
from influxdb.influxdb08.client import InfluxDBClientError

port = int(sys.argv[1])
root = InfluxDBClient('127.0.0.1', port, 'root', 'root', 'udb')


def check(label, actual, expected):
    if actual != expected:
        print("FAIL %s: expected %r, got %r" % (label, expected, actual))
        sys.exit(1)
    print("ok %s" % label)


def fails(label, call, status):
    try:
        call()
    except InfluxDBClientError as e:
        check(label, e.code, status)
        return
    print("FAIL %s: no error" % label)
    sys.exit(1)


root.create_database('udb')

# cluster admins
check("add_cluster_admin", root.add_cluster_admin('ops', 'opspass1'), True)
check("get_list_cluster_admins", sorted(a['name'] for a in root.get_list_cluster_admins()), ['ops', 'root'])
check("update_cluster_admin_password", root.update_cluster_admin_password('ops', 'opspass2'), True)
ops = InfluxDBClient('127.0.0.1', port, 'ops', 'opspass2', 'udb')
check("new admin password works", [d['name'] for d in ops.get_list_database()], ['udb'])
check("delete_cluster_admin", root.delete_cluster_admin('ops'), True)
fails("deleted admin is refused", ops.get_list_database, 401)

# database users
check("add_database_user", root.add_database_user('bob', 'bobpass1'), True)
check("add_database_user with permissions", root.add_database_user('eve', 'evepass1', ('^mem$', '^mem$')), True)
users = {u['name']: u for u in root.get_database_users()}
check("get_database_users", sorted(users), ['bob', 'eve'])
check("defaults", (users['bob']['readFrom'], users['bob']['writeTo'], users['bob']['isAdmin']), ('.*', '.*', False))
check("permissions", (users['eve']['readFrom'], users['eve']['writeTo']), ('^mem$', '^mem$'))
check("update_database_user_password", root.update_database_user_password('bob', 'bobpass2'), True)
check("alter_database_user", root.alter_database_user('bob', permissions=('^cpu', '^cpu')), True)
check("set_database_admin", root.set_database_admin('bob'), True)
check("admin flag", {u['name']: u['isAdmin'] for u in root.get_database_users()}['bob'], True)
check("unset_database_admin", root.unset_database_admin('bob'), True)
check("alter_database_admin", root.alter_database_admin('bob', True), True)
check("admin flag via alter_database_admin", {u['name']: u['isAdmin'] for u in root.get_database_users()}['bob'], True)
root.switch_user('bob', 'bobpass2')
check("switch_user then an admin-only call", [u['name'] for u in root.get_database_users()], ['bob', 'eve'])
root.switch_user('root', 'root')

eve = InfluxDBClient('127.0.0.1', port, 'eve', 'evepass1', 'udb')
eve.write_points([{"name": "mem", "columns": ["v"], "points": [[1]]}])
print("ok restricted user writes mem")
fails("restricted user cannot write cpu", lambda: eve.write_points([{"name": "cpu", "columns": ["v"], "points": [[1]]}]), 403)
fails("restricted user cannot read cpu", lambda: eve.query('select * from cpu'), 403)

check("delete_database_user", root.delete_database_user('eve'), True)
check("users after delete", [u['name'] for u in root.get_database_users()], ['bob'])
print("all ok")
