import { taggedError, typeError } from '../errors.ts';
import { deepEqual, Double, hasKey, isMap, isNumber, numberOf, typeName, type Value } from '../values.ts';
import type { BinaryOp } from './ast.ts';

/**
 * Operator semantics as documented: `+` adds numbers or concatenates strings and nothing else
 * (a list or a number added to a string is a TypeError); `/` always gives a double; `//` and `%`
 * floor, so they agree for negative operands (-7 // 2 = -4, -7 % 2 = 1); integer op integer stays
 * an integer otherwise, and any double operand makes the result a double.
 */
export function applyBinary(op: Exclude<BinaryOp, 'and' | 'or'>, left: Value, right: Value): Value {
  switch (op) {
    case '+':
      if (typeof left === 'string' && typeof right === 'string') return left + right;
      return arithmetic(op, left, right, (a, b) => a + b);
    case '-':
      return arithmetic(op, left, right, (a, b) => a - b);
    case '*':
      return arithmetic(op, left, right, (a, b) => a * b);
    case '/':
      return divide(left, right);
    case '//':
      return arithmetic(op, left, right, (a, b) => Math.floor(a / b), true);
    case '%':
      return arithmetic(op, left, right, (a, b) => a - b * Math.floor(a / b), true);
    case '==':
      return deepEqual(left, right);
    case '!=':
      return !deepEqual(left, right);
    case 'in':
      return contains(right, left);
    default:
      return compare(op, left, right);
  }
}

function operandError(op: string, left: Value, right: Value): Error {
  return typeError(`unsupported operand types for ${op}: '${typeName(left)}' and '${typeName(right)}'`);
}

function arithmetic(
  op: string,
  left: Value,
  right: Value,
  fn: (a: number, b: number) => number,
  divides = false,
): Value {
  if (!isNumber(left) || !isNumber(right)) throw operandError(op, left, right);
  const b = numberOf(right);
  if (divides && b === 0) throw taggedError('ZeroDivisionError', 'division by zero');
  const result = fn(numberOf(left), b);
  if (left instanceof Double || right instanceof Double) return new Double(result);
  if (!Number.isSafeInteger(result)) throw taggedError('ValueError', `integer overflow in ${op}`);
  return result;
}

function divide(left: Value, right: Value): Value {
  if (!isNumber(left) || !isNumber(right)) throw operandError('/', left, right);
  if (numberOf(right) === 0) throw taggedError('ZeroDivisionError', 'division by zero');
  return new Double(numberOf(left) / numberOf(right));
}

function contains(container: Value, item: Value): boolean {
  if (Array.isArray(container)) return container.some((element) => deepEqual(element, item));
  if (isMap(container)) {
    if (typeof item !== 'string') throw typeError(`map keys are strings, not '${typeName(item)}'`);
    return hasKey(container, item);
  }
  throw typeError(`'in' needs a list or a map on its right, not '${typeName(container)}'`);
}

function compare(op: '<' | '<=' | '>' | '>=', left: Value, right: Value): boolean {
  let a: number | string;
  let b: number | string;
  if (isNumber(left) && isNumber(right)) {
    a = numberOf(left);
    b = numberOf(right);
  } else if (typeof left === 'string' && typeof right === 'string') {
    a = left;
    b = right;
  } else {
    throw operandError(op, left, right);
  }
  if (op === '<') return a < b;
  if (op === '<=') return a <= b;
  if (op === '>') return a > b;
  return a >= b;
}

export function applyUnary(op: '-' | 'not', operand: Value): Value {
  if (op === 'not') {
    if (typeof operand !== 'boolean') throw typeError(`'not' needs a boolean, not '${typeName(operand)}'`);
    return !operand;
  }
  if (typeof operand === 'number') return -operand;
  if (operand instanceof Double) return new Double(-operand.value);
  throw typeError(`bad operand type for unary -: '${typeName(operand)}'`);
}

export function requireBoolean(op: string, value: Value): boolean {
  if (typeof value !== 'boolean') throw typeError(`'${op}' needs booleans, not '${typeName(value)}'`);
  return value;
}
