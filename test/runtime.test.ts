import test from 'ava';

test('npm scripts run on Node.js 22 (the node@22 dev dependency), whatever the machine has', (t) => {
  t.is(process.versions.node.split('.')[0], '22');
});
