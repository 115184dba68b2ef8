/** Terms in pinyin order, as a Chinese glossary is sorted (one collator: `localeCompare` builds one per call). */
export const termOrder = new Intl.Collator('zh-Hans-CN');
