/**
 * ASSIST-9: the fictional demo data of the look-up sources, generated deterministically (seeded PRNG) into one
 * SQLite file in the data dir. Nothing is real: resident ID numbers carry region codes 9901xx (no province uses
 * 99) with a valid GB 11643 check digit; mobile numbers start 100 (a prefix no mobile network is assigned);
 * names are drawn from common surnames and given-name characters. The largest table (lodging) has 1,000,000 rows
 * at scale 1. Generation runs in chunks between event-loop turns, so the relay serves meanwhile; a `meta` row marks
 * the file complete.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { idCheckDigit, seededRandom } from '@muster/core';

export const DEMO_LOOKUP_FILE = 'lookup-demo.sqlite';
const VERSION = 1;

/** Rows per table at scale 1. */
export const DEMO_ROWS = {
  persons: 100_000,
  phones: 120_000,
  vehicles: 60_000,
  priorCases: 20_000,
  wanted: 300,
  lodging: 1_000_000,
  rides: 200_000,
  calls110: 50_000,
  cameras: 1_500,
} as const;

/** Story 2's fixed people: the driver who called 110 and the passenger with earlier assaults. */
export const STORY2 = {
  driver: { key: 'P9000001', name: '严立诚', phone: '10020260110', plate: '苏KD20260' },
  suspect: { key: 'P9000002', name: '鲁振飞', phone: '10020260222', birthYear: 1991 },
} as const;

const SURNAMES: [string, string][] = [
  ['王', 'Wang'],
  ['李', 'Li'],
  ['张', 'Zhang'],
  ['刘', 'Liu'],
  ['陈', 'Chen'],
  ['杨', 'Yang'],
  ['黄', 'Huang'],
  ['赵', 'Zhao'],
  ['吴', 'Wu'],
  ['周', 'Zhou'],
  ['徐', 'Xu'],
  ['孙', 'Sun'],
  ['马', 'Ma'],
  ['朱', 'Zhu'],
  ['胡', 'Hu'],
  ['郭', 'Guo'],
  ['何', 'He'],
  ['林', 'Lin'],
  ['罗', 'Luo'],
  ['高', 'Gao'],
];
const GIVEN: [string, string][] = [
  ['伟', 'Wei'],
  ['芳', 'Fang'],
  ['娜', 'Na'],
  ['敏', 'Min'],
  ['静', 'Jing'],
  ['磊', 'Lei'],
  ['强', 'Qiang'],
  ['洋', 'Yang'],
  ['艳', 'Yan'],
  ['军', 'Jun'],
  ['杰', 'Jie'],
  ['涛', 'Tao'],
  ['明', 'Ming'],
  ['超', 'Chao'],
  ['秀', 'Xiu'],
  ['霞', 'Xia'],
  ['平', 'Ping'],
  ['刚', 'Gang'],
  ['桂', 'Gui'],
  ['文', 'Wen'],
  ['华', 'Hua'],
  ['建', 'Jian'],
  ['国', 'Guo'],
  ['海', 'Hai'],
  ['晓', 'Xiao'],
  ['丽', 'Li'],
  ['志', 'Zhi'],
  ['红', 'Hong'],
];
const ROADS: [string, string][] = [
  ['建设路', 'Jianshe Road'],
  ['解放大道', 'Jiefang Avenue'],
  ['人民路', 'Renmin Road'],
  ['中山路', 'Zhongshan Road'],
  ['和平街', 'Heping Street'],
  ['东湖路', 'Donghu Road'],
  ['西河街', 'Xihe Street'],
  ['滨江大道', 'Binjiang Avenue'],
  ['长青路', 'Changqing Road'],
  ['光明街', 'Guangming Street'],
  ['新华路', 'Xinhua Road'],
  ['青年路', 'Qingnian Road'],
];
const OFFENCES = ['故意伤害', '盗窃', '寻衅滋事', '诈骗', '抢夺', '醉酒驾驶', '赌博', '殴打他人'];
const HOTELS = ['东湖宾馆', '滨江酒店', '人民旅社', '长青快捷酒店', '光明招待所', '新华商务酒店'];
const MODELS = ['白色轿车', '黑色SUV', '银色轿车', '蓝色新能源轿车', '灰色面包车'];
const PROVINCE_LETTERS = 'ABCDEFGH';

export function residentId(region: number, y: number, m: number, d: number, seq: number): string {
  const first = `${region}${y}${String(m).padStart(2, '0')}${String(d).padStart(2, '0')}${String(seq).padStart(3, '0')}`;
  return first + idCheckDigit(first);
}

const SCHEMA = `
CREATE TABLE meta (k TEXT PRIMARY KEY, v TEXT);
CREATE TABLE persons (key TEXT PRIMARY KEY, id_no TEXT NOT NULL, name TEXT NOT NULL, pinyin TEXT NOT NULL,
  sex TEXT, birth TEXT, birth_year INTEGER, address TEXT, household TEXT, relation TEXT, phone TEXT);
CREATE TABLE phones (number TEXT PRIMARY KEY, person_key TEXT NOT NULL, carrier TEXT, since TEXT);
CREATE TABLE vehicles (plate TEXT PRIMARY KEY, person_key TEXT NOT NULL, model TEXT, registered TEXT);
CREATE TABLE prior_cases (key TEXT PRIMARY KEY, person_key TEXT NOT NULL, date TEXT, offence TEXT, unit TEXT, outcome TEXT);
CREATE TABLE wanted (key TEXT PRIMARY KEY, person_key TEXT NOT NULL, since TEXT, reason TEXT, level TEXT);
CREATE TABLE lodging (key TEXT PRIMARY KEY, person_key TEXT NOT NULL, hotel TEXT, address TEXT, check_in TEXT, nights INTEGER, room TEXT);
CREATE TABLE rides (key TEXT PRIMARY KEY, passenger_key TEXT NOT NULL, driver_key TEXT NOT NULL, plate TEXT, at TEXT, origin TEXT, destination TEXT);
CREATE TABLE calls110 (key TEXT PRIMARY KEY, phone TEXT, person_key TEXT, at TEXT, address TEXT, summary TEXT);
CREATE TABLE cameras (key TEXT PRIMARY KEY, name TEXT, road TEXT, road_en TEXT, address TEXT, lat REAL, lon REAL);
`;
const INDEXES = `
CREATE INDEX persons_id ON persons(id_no); CREATE INDEX persons_name ON persons(name, birth_year);
CREATE INDEX persons_pinyin ON persons(pinyin, birth_year); CREATE INDEX persons_household ON persons(household);
CREATE INDEX phones_person ON phones(person_key); CREATE INDEX vehicles_person ON vehicles(person_key);
CREATE INDEX prior_person ON prior_cases(person_key, date); CREATE INDEX wanted_person ON wanted(person_key);
CREATE INDEX lodging_person ON lodging(person_key, check_in); CREATE INDEX rides_passenger ON rides(passenger_key, at);
CREATE INDEX rides_driver ON rides(driver_key, at); CREATE INDEX rides_plate ON rides(plate, at);
CREATE INDEX calls_phone ON calls110(phone, at); CREATE INDEX calls_person ON calls110(person_key, at);
CREATE INDEX calls_address ON calls110(address); CREATE INDEX cameras_road ON cameras(road);
`;

/** Whether the file at `file` is a complete demo data set of this version and scale. */
export function demoLookupReady(file: string, scale: number): boolean {
  if (!fs.existsSync(file)) return false;
  try {
    const db = new Database(file, { readonly: true, fileMustExist: true });
    try {
      const v = db.prepare("SELECT v FROM meta WHERE k = 'complete'").get() as { v: string } | undefined;
      return v?.v === `${VERSION}/${scale}`;
    } finally {
      db.close();
    }
  } catch {
    return false;
  }
}

const turn = (): Promise<void> => new Promise((r) => setImmediate(r));

/**
 * Writes the demo data (to a temporary file renamed when complete, so a crash never leaves half a set).
 * `scale` multiplies every table's rows (tests use a small one). Resolves with the file.
 */
export async function generateDemoLookupData(
  dir: string,
  scale = 1,
  opts: { chunk?: number; signal?: AbortSignal } = {},
): Promise<string> {
  const chunk = opts.chunk ?? 5_000;
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, DEMO_LOOKUP_FILE);
  if (demoLookupReady(file, scale)) return file;
  const tmp = `${file}.tmp-${process.pid}`;
  fs.rmSync(tmp, { force: true });
  const db = new Database(tmp);
  db.pragma('journal_mode = OFF');
  db.pragma('synchronous = OFF');
  db.exec(SCHEMA);
  const n = (k: keyof typeof DEMO_ROWS): number => Math.max(k === 'wanted' ? 3 : 10, Math.round(DEMO_ROWS[k] * scale));
  const rnd = seededRandom(20261129);
  const pick = <T>(a: readonly T[]): T => a[Math.floor(rnd() * a.length)]!;
  const int = (lo: number, hi: number): number => lo + Math.floor(rnd() * (hi - lo + 1));
  const date = (y0: number, y1: number): string =>
    `${int(y0, y1)}-${String(int(1, 12)).padStart(2, '0')}-${String(int(1, 28)).padStart(2, '0')}`;
  const time = (y0: number, y1: number): string =>
    `${date(y0, y1)} ${String(int(0, 23)).padStart(2, '0')}:${String(int(0, 59)).padStart(2, '0')}`;
  const personKey = (i: number): string => `P${String(i).padStart(7, '0')}`;
  const persons = n('persons');
  const phoneOf = (i: number): string =>
    `100${String(i * 7919 + 1_000_000)
      .padStart(8, '0')
      .slice(-8)}`;

  async function fill(count: number, insert: (i: number) => void): Promise<void> {
    for (let start = 0; start < count; start += chunk) {
      if (opts.signal?.aborted) {
        db.close();
        fs.rmSync(tmp, { force: true });
        throw new Error('demo data generation stopped');
      }
      db.transaction(() => {
        for (let i = start; i < Math.min(count, start + chunk); i++) insert(i);
      })();
      await turn();
    }
  }

  const insPerson = db.prepare('INSERT INTO persons VALUES (?,?,?,?,?,?,?,?,?,?,?)');
  const region = (i: number): number => 990101 + (i % 60);
  await fill(persons, (i) => {
    const [s, sp] = pick(SURNAMES);
    const g = rnd() < 0.5 ? [pick(GIVEN)] : [pick(GIVEN), pick(GIVEN)];
    const y = int(1950, 2006);
    const m = int(1, 12);
    const d = int(1, 28);
    const sex = rnd() < 0.5 ? '男' : '女';
    const seq = (i % 500) * 2 + (sex === '男' ? 1 : 0);
    const [road] = pick(ROADS);
    const household = `H${String(Math.floor(i / 3)).padStart(6, '0')}`;
    insPerson.run(
      personKey(i),
      residentId(region(i), y, m, d, seq),
      s + g.map((x) => x[0]).join(''),
      `${sp} ${g.map((x) => x[1]).join('')}`,
      sex,
      `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`,
      y,
      `${road}${int(1, 300)}号`,
      household,
      i % 3 === 0 ? '户主' : pick(['配偶', '子女', '父母']),
      phoneOf(i),
    );
  });
  const insPhone = db.prepare('INSERT OR IGNORE INTO phones VALUES (?,?,?,?)');
  await fill(n('phones'), (i) => {
    const owner = i < persons ? i : int(0, persons - 1);
    insPhone.run(
      i < persons ? phoneOf(i) : `101${String(i).padStart(8, '0')}`,
      personKey(owner),
      pick(['甲网', '乙网', '丙网']),
      date(2005, 2025),
    );
  });
  const insVehicle = db.prepare('INSERT OR IGNORE INTO vehicles VALUES (?,?,?,?)');
  const plateOf = (i: number): string => {
    const letters = PROVINCE_LETTERS[i % PROVINCE_LETTERS.length]!;
    return i % 5 === 0
      ? `苏${letters}D${String(i).padStart(5, '0').slice(-5)}`
      : `苏${letters}${String(i).padStart(5, '0').slice(-5)}`;
  };
  await fill(n('vehicles'), (i) =>
    insVehicle.run(plateOf(i), personKey(int(0, persons - 1)), pick(MODELS), date(2010, 2025)),
  );
  const insCase = db.prepare('INSERT INTO prior_cases VALUES (?,?,?,?,?,?)');
  await fill(n('priorCases'), (i) =>
    insCase.run(
      `C${i}`,
      personKey(int(0, persons - 1)),
      date(2005, 2025),
      pick(OFFENCES),
      pick(['东城分局', '西城分局']),
      pick(['行政拘留', '罚款', '判处有期徒刑', '不予处罚']),
    ),
  );
  const insWanted = db.prepare('INSERT INTO wanted VALUES (?,?,?,?,?)');
  await fill(n('wanted'), (i) =>
    insWanted.run(
      `W${i}`,
      personKey(int(0, persons - 1)),
      date(2015, 2025),
      pick(OFFENCES),
      pick(['A级', 'B级', 'C级']),
    ),
  );
  const insLodging = db.prepare('INSERT INTO lodging VALUES (?,?,?,?,?,?,?)');
  await fill(n('lodging'), (i) => {
    const [road] = pick(ROADS);
    insLodging.run(
      `L${i}`,
      personKey(int(0, persons - 1)),
      pick(HOTELS),
      `${road}${int(1, 300)}号`,
      time(2023, 2026),
      int(1, 5),
      String(int(101, 1520)),
    );
  });
  const insRide = db.prepare('INSERT INTO rides VALUES (?,?,?,?,?,?,?)');
  const vehicles = n('vehicles');
  await fill(n('rides'), (i) => {
    const [a] = pick(ROADS);
    const [b] = pick(ROADS);
    insRide.run(
      `R${i}`,
      personKey(int(0, persons - 1)),
      personKey(int(0, persons - 1)),
      plateOf(int(0, vehicles - 1)),
      time(2024, 2026),
      `${a}${int(1, 300)}号`,
      `${b}${int(1, 300)}号`,
    );
  });
  const insCall = db.prepare('INSERT INTO calls110 VALUES (?,?,?,?,?,?)');
  await fill(n('calls110'), (i) => {
    const p = int(0, persons - 1);
    const [road] = pick(ROADS);
    insCall.run(
      `K${i}`,
      phoneOf(p),
      personKey(p),
      time(2022, 2026),
      `${road}${int(1, 300)}号`,
      pick(['纠纷', '求助', '噪音扰民', '交通事故', '可疑人员', '盗窃报警']),
    );
  });
  const insCamera = db.prepare('INSERT INTO cameras VALUES (?,?,?,?,?,?,?)');
  await fill(n('cameras'), (i) => {
    const [road, roadEn] = ROADS[i % ROADS.length]!;
    const no = int(1, 300);
    insCamera.run(
      `V${i}`,
      `${road}${no}号${pick(['路口', '东侧', '西侧', '公交站'])}`,
      road,
      roadEn,
      `${road}${no}号`,
      31 + rnd(),
      118 + rnd(),
    );
  });

  // Story 2: the driver (caller) and the passenger who hit him, with two earlier assaults.
  const { driver, suspect } = STORY2;
  db.transaction(() => {
    insPerson.run(
      driver.key,
      residentId(990188, 1979, 4, 12, 31),
      driver.name,
      'Yan Licheng',
      '男',
      '1979-04-12',
      1979,
      '东湖路18号',
      'H900001',
      '户主',
      driver.phone,
    );
    insPerson.run(
      suspect.key,
      residentId(990188, suspect.birthYear, 9, 3, 57),
      suspect.name,
      'Lu Zhenfei',
      '男',
      `${suspect.birthYear}-09-03`,
      suspect.birthYear,
      '西河街7号',
      'H900002',
      '户主',
      suspect.phone,
    );
    insPhone.run(driver.phone, driver.key, '甲网', '2015-06-01');
    insPhone.run(suspect.phone, suspect.key, '乙网', '2019-02-11');
    insVehicle.run(driver.plate, driver.key, '蓝色新能源轿车', '2023-03-08');
    insRide.run('R-story2', suspect.key, driver.key, driver.plate, '2026-11-29 00:41', '东湖路18号', '滨江大道66号');
    insCase.run('C-story2-1', suspect.key, '2019-07-21', '故意伤害', '东城分局', '行政拘留十日');
    insCase.run('C-story2-2', suspect.key, '2023-01-05', '故意伤害', '西城分局', '判处有期徒刑六个月');
    insCall.run('K-story2', driver.phone, driver.key, '2026-11-29 00:52', '滨江大道66号', '网约车司机被乘客用扳手打伤');
  })();
  await turn();
  db.exec(INDEXES);
  db.prepare('INSERT INTO meta VALUES (?, ?)').run('complete', `${VERSION}/${scale}`);
  db.close();
  fs.renameSync(tmp, file);
  return file;
}
