// Drives Strata with the real 0.8-era node client, npm influx@3 (3.5.0).
// Usage: node influx3.js PORT — prints one line per checked call, exits non-zero on the first mismatch.
'use strict';
const assert = require('assert');
const influx = require('influx');

const port = Number(process.argv[2]);
const root = influx({ host: '127.0.0.1', port: port, username: 'root', password: 'root', database: 'nodedb' });

function call(method, ...args) {
  return new Promise((resolve, reject) => {
    root[method](...args, (err, result) => (err ? reject(err) : resolve(result)));
  });
}

async function check(label, promise, verify) {
  const result = await promise;
  if (verify) verify(result);
  console.log('ok ' + label);
  return result;
}

(async () => {
  await check('createDatabase via database_configs', call('createDatabase', 'nodedb'));
  await check('getDatabaseNames', call('getDatabaseNames'), (names) => assert.deepStrictEqual(names, ['nodedb']));

  await check('writePoint', call('writePoint', 'cpu', { time: new Date(1400000000000), value: 0.5, host: 'a' }));
  await check('writePoints', call('writePoints', 'cpu', [{ time: new Date(1400000001000), value: 1 }, { time: new Date(1400000002000), value: 2, host: 'b' }]));
  await check('writeSeries', call('writeSeries', { mem: [{ free: 10 }, { free: 20 }] }));

  await check('query', call('query', 'select value, host from cpu'), (series) => {
    assert.strictEqual(series[0].name, 'cpu');
    assert.deepStrictEqual(series[0].columns, ['time', 'sequence_number', 'host', 'value']);
    assert.deepStrictEqual(series[0].points.map((p) => p[0]), [1400000002000, 1400000001000, 1400000000000]);
    assert.deepStrictEqual(series[0].points.map((p) => p[2]), ['b', null, 'a']);
  });
  await check('getSeriesNames', call('getSeriesNames', 'nodedb'), (names) => assert.deepStrictEqual(names, ['cpu', 'mem']));

  await check('createUser', call('createUser', 'nodedb', 'jane', 'janepass1'));
  await check('getUsers', call('getUsers', 'nodedb'), (users) => assert.deepStrictEqual(users, [{ name: 'jane', isAdmin: false, writeTo: '.*', readFrom: '.*' }]));
  await check('updateUser', call('updateUser', 'nodedb', 'jane', { admin: true }));
  await check('getUser', call('getUser', 'nodedb', 'jane'), (user) => assert.strictEqual(user.isAdmin, true));

  await check('create continuous query', call('query', 'select * from cpu into cpu.copy'));
  const queries = await check('getContinuousQueries', call('getContinuousQueries', 'nodedb'), (series) => {
    assert.deepStrictEqual(series[0].columns, ['time', 'id', 'query']);
    assert.strictEqual(series[0].points[0][2], 'select * from "cpu" into cpu.copy');
  });
  await check('dropContinuousQuery', call('dropContinuousQuery', 'nodedb', queries[0].points[0][1]));
  await check('continuous query gone', call('getContinuousQueries', 'nodedb'), (series) => assert.strictEqual(series[0].points.length, 0));

  const space = { name: 'hot', retentionPolicy: '30d', shardDuration: '1d', regex: '/^hot/', replicationFactor: 1, split: 1 };
  await check('createShardSpace', call('createShardSpace', 'nodedb', space));
  await check('getShardSpaces', call('getShardSpaces', 'nodedb'), (spaces) => assert.ok(spaces.some((s) => s.name === 'hot' && s.database === 'nodedb')));
  await check('updateShardSpace', call('updateShardSpace', 'nodedb', 'hot', Object.assign({}, space, { retentionPolicy: '60d' })));
  await check('space updated', call('getShardSpaces', 'nodedb'), (spaces) => assert.strictEqual(spaces.find((s) => s.name === 'hot').retentionPolicy, '60d'));
  await check('deleteShardSpace', call('deleteShardSpace', 'nodedb', 'hot'));

  await check('dropSeries', call('dropSeries', 'nodedb', 'mem'));
  await check('series after drop', call('getSeriesNames', 'nodedb'), (names) => assert.deepStrictEqual(names, ['cpu']));
  await check('deleteDatabase', call('deleteDatabase', 'nodedb'));
  await check('no databases', call('getDatabaseNames'), (names) => assert.deepStrictEqual(names, []));
  console.log('all ok');
})().catch((err) => {
  console.log('FAIL ' + (err && err.stack ? err.stack : err));
  process.exit(1);
});
