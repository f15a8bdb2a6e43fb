import { valueError } from '../errors.ts';
import { newMap, type Value } from '../values.ts';
import { argInt, argString, spec, type FunctionSpec } from './function-spec.ts';

/** The `text` module. Indices count characters (code points), as Workflows strings are Unicode. */
export const textFunctions: Record<string, FunctionSpec> = {
  'text.to_lower': spec(['source'], ([s]) => argString('text.to_lower', s).toLowerCase()),
  'text.to_upper': spec(['source'], ([s]) => argString('text.to_upper', s).toUpperCase()),
  'text.split': spec(['source', 'separator'], ([s, sep]) =>
    argString('text.split', s).split(argString('text.split', sep)),
  ),
  'text.replace_all': spec(['source', 'substr', 'repl'], ([s, sub, repl]) =>
    argString('text.replace_all', s).split(argString('text.replace_all', sub)).join(argString('text.replace_all', repl)),
  ),
  'text.replace_all_regex': spec(['source', 'regexp', 'repl'], ([s, re, repl]) =>
    argString('text.replace_all_regex', s).replace(regex('text.replace_all_regex', re, 'g'), () =>
      argString('text.replace_all_regex', repl),
    ),
  ),
  'text.match_regex': spec(['source', 'regexp'], ([s, re]) =>
    regex('text.match_regex', re, '').test(argString('text.match_regex', s)),
  ),
  'text.find_all': spec(['source', 'substr'], ([s, sub]) => findAll(argString('text.find_all', s), argString('text.find_all', sub))),
  'text.find_all_regex': spec(['source', 'regexp'], ([s, re]) =>
    findAllRegex(argString('text.find_all_regex', s), regex('text.find_all_regex', re, 'g')),
  ),
  'text.substring': spec(['source', 'start', 'end'], ([s, start, end]) =>
    [...argString('text.substring', s)].slice(argInt('text.substring', start), argInt('text.substring', end)).join(''),
  ),
  'text.url_encode': spec(['source'], ([s]) => encodeURIComponent(argString('text.url_encode', s))),
  'text.url_encode_plus': spec(['source'], ([s]) => encodeURIComponent(argString('text.url_encode_plus', s)).replace(/%20/g, '+')),
  'text.url_decode': spec(['source'], ([s]) => decode(argString('text.url_decode', s))),
};

function regex(fn: string, pattern: Value | undefined, flags: string): RegExp {
  const source = argString(fn, pattern);
  try {
    return new RegExp(source, `u${flags}`);
  } catch {
    throw valueError(`${fn}: invalid regular expression ${JSON.stringify(source)}`);
  }
}

function matchEntry(source: string, utf16Index: number, match: string): Value {
  return newMap([
    ['index', [...source.slice(0, utf16Index)].length],
    ['match', match],
  ]);
}

function findAll(source: string, substr: string): Value[] {
  if (substr === '') return [];
  const found: Value[] = [];
  for (let at = source.indexOf(substr); at !== -1; at = source.indexOf(substr, at + substr.length)) {
    found.push(matchEntry(source, at, substr));
  }
  return found;
}

function findAllRegex(source: string, re: RegExp): Value[] {
  return [...source.matchAll(re)].map((m) => matchEntry(source, m.index, m[0]));
}

function decode(source: string): string {
  try {
    return decodeURIComponent(source.replace(/\+/g, ' '));
  } catch {
    throw valueError(`text.url_decode: malformed input ${JSON.stringify(source)}`);
  }
}
