/**
 * ASSIST-1: the intents a look-up question can carry and the words (Chinese and English) that signal each. Words
 * are data; the parser (parser.ts) scores them. Generic words ("owner", "是谁") carry no intent of their own: the
 * entity they go with decides (a plate's owner is a vehicle look-up, a number's owner a phone look-up).
 */

export const INTENTS = [
  'person',
  'phoneOwner',
  'vehicle',
  'priorCases',
  'wanted',
  'lodging',
  'rideHailing',
  'calls110',
  'household',
  'cameras',
] as const;
export type Intent = (typeof INTENTS)[number];

export const isIntent = (v: unknown): v is Intent =>
  typeof v === 'string' && (INTENTS as readonly string[]).includes(v);

/** Words per intent, longest first when matched. English words match whole words, case-insensitively. */
export const INTENT_WORDS: Record<Intent, { zh: string[]; en: string[] }> = {
  person: {
    zh: ['身份信息', '人员信息', '身份证', '身份', '个人信息', '基本信息', '人员', '此人是谁', '是什么人', '查人'],
    en: ['identity', 'id card', 'id number', 'person', 'profile', 'background'],
  },
  phoneOwner: {
    zh: ['机主', '手机号', '手机', '电话号码', '号码', '电话', '号主'],
    en: ['phone owner', 'phone number', 'phone', 'mobile', 'number owner', 'subscriber', 'number'],
  },
  vehicle: {
    zh: ['车主', '车辆', '车牌', '号牌', '机动车', '行驶证', '车'],
    en: ['vehicle', 'plate', 'car', 'registration', 'licence plate', 'license plate'],
  },
  priorCases: {
    zh: ['前科', '案底', '违法犯罪', '犯罪记录', '违法记录', '案件记录', '涉案', '打处', '处罚记录'],
    en: [
      'prior cases',
      'prior case',
      'priors',
      'criminal record',
      'criminal history',
      'previous cases',
      'past cases',
      'convictions',
      'record of offences',
      'arrest record',
      'prior record',
    ],
  },
  wanted: {
    zh: ['在逃', '通缉', '追逃', '网逃', '是否在逃', '布控'],
    en: ['wanted', 'fugitive', 'on the run', 'warrant', 'warrants', 'escaped'],
  },
  lodging: {
    zh: ['住宿', '开房', '旅馆', '宾馆', '酒店', '入住', '住店'],
    en: ['lodging', 'hotel', 'hotels', 'stayed', 'stays', 'check-in', 'check-ins', 'accommodation', 'lodgings'],
  },
  rideHailing: {
    zh: ['网约车', '打车', '叫车', '滴滴', '出行订单', '乘车记录', '订单', '行程'],
    en: ['ride-hailing', 'ride hailing', 'rides', 'ride', 'taxi', 'trips', 'trip', 'didi', 'orders'],
  },
  calls110: {
    zh: ['110', '报警记录', '报警', '接警', '警情', '求助记录', '来电记录'],
    en: ['110', 'emergency calls', 'police calls', 'call history', 'calls to police', 'reported incidents', 'reports'],
  },
  household: {
    zh: ['户籍', '户口', '同户', '家庭成员', '家人', '户主', '家属'],
    en: ['household', 'family members', 'family', 'relatives', 'hukou', 'residence registration'],
  },
  cameras: {
    zh: ['摄像头', '监控', '探头', '视频点位', '天网', '卡口'],
    en: ['cameras', 'camera', 'cctv', 'surveillance', 'video points'],
  },
};

/** Words that ask "who owns / who is": they take their intent from the entity they go with. */
export const OWNER_WORDS = {
  zh: ['是谁', '谁的', '归属', '登记人', '所有人'],
  en: ['who is', 'who owns', 'owner', 'owns', 'belongs to', 'registered to', 'whose'],
};

/** Words that point back at the last person found (a follow-up). */
export const PRONOUNS = {
  zh: ['他的', '她的', '他', '她', '此人', '该人', '这个人', '这人', '该男子', '该女子', '嫌疑人', '对方'],
  en: [
    'he',
    'she',
    'him',
    'her',
    'his',
    'hers',
    'this person',
    'that person',
    'this guy',
    'the same person',
    'them',
    'their',
  ],
};

/** Words that only fill a question out; cut before names are sought. */
export const FILLER = {
  zh: [
    '帮我',
    '请',
    '麻烦',
    '查一下',
    '查一查',
    '查询',
    '查查',
    '查下',
    '查',
    '看看',
    '看一下',
    '一下',
    '有没有',
    '有无',
    '是否',
    '最近',
    '近期',
    '所有',
    '全部',
    '信息',
    '情况',
    '记录',
    '的',
    '了',
    '吗',
    '呢',
    '和',
    '与',
    '及',
    '附近',
    '周边',
    '周围',
    '这里',
    '现场',
    '出生',
    '年生',
    '生',
    '男',
    '女',
    '叫',
    '名叫',
    '姓名',
  ],
  en: [
    'please',
    'check',
    'look up',
    'lookup',
    'find',
    'search',
    'show',
    'me',
    'any',
    'the',
    'a',
    'an',
    'of',
    'for',
    'is',
    'are',
    'was',
    'does',
    'do',
    'has',
    'have',
    'get',
    'what',
    'who',
    'whose',
    'with',
    'and',
    'recent',
    'latest',
    'last',
    'records',
    'record',
    'history',
    'info',
    'information',
    'details',
    'near',
    'nearby',
    'around',
    'here',
    'scene',
    'named',
    'called',
    'born',
    'in',
    'on',
    'to',
    'at',
    'about',
    'there',
    'list',
    'all',
    'his',
    'her',
    'id',
    'by',
  ],
};

/** Words for "where the group is" (cameras near the group's location). */
export const HERE_WORDS = {
  zh: ['附近', '周边', '周围', '这里', '现场', '此处', '本地'],
  en: ['near here', 'nearby', 'around here', 'near the scene', 'at the scene', 'near us', 'here', 'around'],
};
