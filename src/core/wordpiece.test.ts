// Parity: the page's WordPiece against transformers.js' own tokenizer (the one the
// build-time encoder runs) on thousands of strings: lines of six languages' docs,
// code, accents, CJK, emoji, controls, long words, empty and whitespace-only input.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AutoTokenizer, env, type PreTrainedTokenizer } from '@huggingface/transformers';
import { beforeAll, describe, expect, it } from 'vitest';
import { createWordPiece, type WordPiece } from './wordpiece.ts';
import { bucketsForWords, vocabularyBucket } from './sparse-index.ts';
import { gaussianSource } from '../../scripts/forge/bert.ts';
import { forgeModel, FORGED_MODELS, MODELS_ROOT } from '../../scripts/forge/forge.ts';

const CORPORA = join(process.cwd(), '..', 'shared', 'corpora');
const MODEL = 'pagesense-test/sparse-tiny';

let reference: PreTrainedTokenizer;
let ours: WordPiece;
let vocab: string[];

beforeAll(async () => {
  forgeModel(FORGED_MODELS.find((m) => m.id === MODEL)!);
  env.allowRemoteModels = false;
  env.localModelPath = MODELS_ROOT + '/';
  reference = await AutoTokenizer.from_pretrained(MODEL);
  const json = JSON.parse(readFileSync(join(MODELS_ROOT, MODEL, 'tokenizer.json'), 'utf8')) as { model: { vocab: Record<string, number> } };
  vocab = [];
  for (const [token, id] of Object.entries(json.model.vocab)) vocab[id] = token;
  ours = createWordPiece(vocab, { specials: ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'] });
});

function theirs(text: string): string[] {
  const ids = reference.encode(text, { add_special_tokens: false }) as number[];
  return ids.map((id) => vocab[id]!);
}

function corpusLines(limit: number): string[] {
  if (!existsSync(CORPORA)) return [];
  const lines: string[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (lines.length >= limit) return;
      if (e.isDirectory()) walk(join(dir, e.name));
      else if (e.name.endsWith('.md')) for (const l of readFileSync(join(dir, e.name), 'utf8').split('\n')) if (l.trim()) lines.push(l);
    }
  };
  for (const lang of ['vite-docs', 'vitepress-docs/zh', 'vitepress-docs/ja', 'vitepress-docs/ru', 'vitepress-docs/fa', 'vitepress-docs/es']) {
    const dir = join(CORPORA, lang);
    if (existsSync(dir)) {
      const before = lines.length;
      walk(dir);
      lines.splice(before + Math.floor(limit / 6));
    }
  }
  return lines;
}

/** Random strings over the hard parts of Unicode, seeded. */
function randomStrings(n: number): string[] {
  const rnd = gaussianSource(5);
  const uniform = () => Math.min(0.999999, Math.max(0, (rnd() + 3) / 6));
  const alphabets = [
    'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789',
    'àáâãäåçèéêëìíîïñòóôõöùúûüýÿÀÉÎÕÜßæøœ',
    '.,;:!?\'"()[]{}<>/\\|@#$%^&*-_=+~`',
    '中文字符日本語のテキスト한국어텍스트',
    '\u0301\u0308\u200b\u200d\ufeff\u00a0\u2003\u2028\t\n\r\u0000\ufffd\u0007\u00ad',
    'αβγδεζηθ абвгдеёжз ابتثجحخد עברית',
    '😀🎉👍🏽𠀀𠀁🇫🇷',
    '    ',
  ];
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const len = Math.floor(uniform() * 40);
    let s = '';
    for (let j = 0; j < len; j++) {
      const a = [...alphabets[Math.min(alphabets.length - 1, Math.floor(uniform() * alphabets.length))]!];
      s += a[Math.min(a.length - 1, Math.floor(uniform() * a.length))];
    }
    out.push(s);
  }
  return out;
}

const CASES = [
  '',
  ' ',
  '   \t\n ',
  'Hello, World!',
  'naïve café résumé Ångström',
  'ﬁ ligature and Ⅻ numerals ½',
  'const x = a?.b ?? c; // comment',
  'import { defineConfig } from "vite"',
  'https://example.com/path?query=1&b=2#hash',
  'supercalifragilisticexpialidocious antidisestablishmentarianism',
  'a'.repeat(100),
  'a'.repeat(101),
  'x'.repeat(250) + ' short',
  'text with [MASK] and [CLS] inside, [mask] lower, a[SEP]b',
  '中文分词测试 mixed 日本語 text',
  '𠀀𠀁 astral CJK',
  'emoji 😀 and flags 🇫🇷',
  'tabs\tand\nnewlines\r\nand\u00a0nbsp',
  'zero\u200bwidth joiner\u200d',
  'İstanbul DİYARBAKIR ΣΊΣΥΦΟΣ',
];

describe('WordPiece (the page) against transformers.js', () => {
  it('gives the same tokens on hand-picked hard cases', () => {
    for (const text of CASES) expect(ours.tokenize(text), JSON.stringify(text)).toEqual(theirs(text));
  });

  it('gives the same tokens on 4,000 random strings over hard Unicode', () => {
    const texts = randomStrings(4000);
    const differing = texts.filter((t) => JSON.stringify(ours.tokenize(t)) !== JSON.stringify(theirs(t)));
    expect(differing.slice(0, 5)).toEqual([]);
  });

  it.skipIf(!existsSync(CORPORA))('gives the same tokens on 3,000 lines of documentation in six languages (../shared/corpora)', () => {
    const lines = corpusLines(3000);
    expect(lines.length).toBeGreaterThan(2000);
    const differing = lines.filter((t) => JSON.stringify(ours.tokenize(t)) !== JSON.stringify(theirs(t)));
    expect(differing.slice(0, 5)).toEqual([]);
  });

  it('gives the same tokens from only the vocabulary buckets of the text’s words (what the page fetches)', () => {
    const byBucket = new Map<string, string[]>();
    for (const t of vocab) byBucket.set(vocabularyBucket(t), [...(byBucket.get(vocabularyBucket(t)) ?? []), t]);
    const texts = [...CASES, ...randomStrings(1500), ...corpusLines(1200)];
    const differing = texts.filter((t) => {
      const partial = new Set([...bucketsForWords(ours.words(t))].flatMap((b) => byBucket.get(b) ?? []));
      const lazy = createWordPiece(partial, { specials: ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'] });
      return JSON.stringify(lazy.tokenize(t)) !== JSON.stringify(ours.tokenize(t));
    });
    expect(differing.slice(0, 5)).toEqual([]);
    // and a query needs a small part of the vocabulary
    expect(bucketsForWords(ours.words('how do I configure a proxy')).size).toBeLessThan(byBucket.size / 2);
  });

  it('spells an unknown word as [UNK] and a word longer than maxChars as one [UNK]', () => {
    expect(ours.tokenize('hello ☃')).toEqual(['hello', '[UNK]']);
    expect(ours.tokenize('b'.repeat(101))).toEqual(['[UNK]']);
  });
});
