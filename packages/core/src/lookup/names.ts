/**
 * ASSIST-1: person names in what is left of a question once entities and intent words are cut out. Chinese names are
 * 2-4 Han characters opening with a common surname (single or compound); English (pinyin) names are two or three
 * capitalised words that are no question words.
 */

const SINGLE_SURNAMES =
  '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝';
const COMPOUND_SURNAMES = [
  '欧阳',
  '司马',
  '诸葛',
  '上官',
  '慕容',
  '东方',
  '皇甫',
  '令狐',
  '夏侯',
  '尉迟',
  '公孙',
  '长孙',
  '宇文',
  '司徒',
  '端木',
];

const SURNAMES = new Set(SINGLE_SURNAMES);

/** A run of Han characters that reads as a full name. */
/** Everyday words that open with a surname character but are no names. */
const NOT_NAMES = new Set([
  '谢谢',
  '你好',
  '您好',
  '好的',
  '明白',
  '收到',
  '时间',
  '方便',
  '何时',
  '高兴',
  '周边',
  '周围',
  '全部',
  '程序',
]);

export function isChineseName(run: string): boolean {
  if (!/^[\u4e00-\u9fa5]{2,4}$/.test(run) || NOT_NAMES.has(run)) return false;
  if (COMPOUND_SURNAMES.some((s) => run.startsWith(s))) return run.length >= 3;
  return SURNAMES.has(run[0]!) && run.length <= 3;
}

const LEADING = [
  '帮我查一下',
  '帮我查',
  '查一下',
  '查一查',
  '查询',
  '查查',
  '查下',
  '请查',
  '帮查',
  '麻烦',
  '帮我',
  '请',
  '查',
  '看看',
  '名叫',
  '叫做',
  '叫',
  '姓名',
  '有没有',
  '是否',
  '关于',
  '一下',
  '核查',
  '核实',
];
const TRAILING = [
  '是不是',
  '住过哪些',
  '住过',
  '住在',
  '去过',
  '到过',
  '开过',
  '开',
  '哪些',
  '什么',
  '在哪',
  '是谁',
  '的',
  '了',
  '吗',
  '呢',
  '啊',
  '信息',
  '情况',
  '一下',
  '这个人',
  '此人',
  '本人',
  '名下',
  '有没有',
  '有无',
  '是否',
  '最近',
  '近期',
];
const SPLIT = /[的和与及跟、，,;；\s]+/u;

function strip(run: string): string {
  let s = run;
  for (let changed = true; changed;) {
    changed = false;
    for (const w of LEADING) {
      if (s.startsWith(w) && s.length > w.length) {
        s = s.slice(w.length);
        changed = true;
      }
    }
    for (const w of TRAILING) {
      if (s.endsWith(w) && s.length > w.length) {
        s = s.slice(0, -w.length);
        changed = true;
      }
    }
  }
  return s;
}

/** Chinese names in a text (already cut of entities and intent words), in order, each once. */
export function chineseNames(rest: string): string[] {
  const out: string[] = [];
  for (const run of rest.match(/[\u4e00-\u9fa5]+/gu) ?? []) {
    const whole = strip(run);
    if (isChineseName(whole)) {
      out.push(whole);
      continue;
    }
    for (const part of whole.split(SPLIT)) {
      const p = strip(part);
      if (isChineseName(p)) out.push(p);
    }
  }
  return [...new Set(out)];
}

/** English (pinyin) names: two or three capitalised words in a row, none of them a known question word. */
export function englishNames(rest: string, questionWords: ReadonlySet<string>): string[] {
  const out: string[] = [];
  const words = rest.split(/[^A-Za-z']+/).filter(Boolean);
  let run: string[] = [];
  const flush = (): void => {
    if (run.length >= 2 && run.length <= 3) out.push(run.join(' '));
    run = [];
  };
  for (const w of words) {
    if (/^[A-Z][a-z]+$/.test(w) && !questionWords.has(w.toLowerCase())) run.push(w);
    else flush();
  }
  flush();
  return [...new Set(out)];
}
