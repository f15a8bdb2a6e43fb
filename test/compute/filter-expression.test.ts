import test from 'ava';
import { compileFilter } from '../../simulators/compute/filter-expression.ts';
import { GoogleApiError } from '../../simulators/compute/google-error.ts';

const vm = { name: 'runner-1', status: 'RUNNING', labels: { 'managed-by': 'gcgr', template: 'linux-small' }, scheduling: { provisioningModel: 'SPOT' } };

const matching: [string, boolean][] = [
  ['labels.managed-by = "gcgr"', true],
  ['labels.managed-by = "gcgr" AND labels.template = "linux-small"', true],
  ['labels.managed-by = "gcgr" AND labels.template = "linux-gpu"', false],
  ['(labels.template = "linux-gpu") OR (name = "runner-1")', true],
  ['(labels.managed-by = "gcgr") (status = RUNNING)', true],
  ['name = "runner-*"', true],
  ['name != "runner-1"', false],
  ['labels.job:*', false],
  ['labels.template:*', true],
  ['labels.missing = "*"', false],
  ['NOT (status = "TERMINATED")', true],
  ['scheduling.provisioningModel = SPOT', true],
  ['name eq "runner-[0-9]+"', true],
  ['name ne "runner-.*"', false],
  ['', true],
];

for (const [filter, expected] of matching) {
  test(`filter ${JSON.stringify(filter)} ${expected ? 'matches' : 'does not match'}`, (t) => {
    t.is(compileFilter(filter)(vm), expected);
  });
}

for (const bad of ['labels.a =', '(name = "x"', 'name ~ "x"', 'name eq "("', 'name = "x")']) {
  test(`filter ${JSON.stringify(bad)} is a 400`, (t) => {
    const error = t.throws(() => compileFilter(bad), { instanceOf: GoogleApiError });
    t.is(error?.httpStatus, 400);
  });
}
