/**
 * ASSIST-9: the ten fictional demo sources over the demo data file (demoLookupData.ts). Names say "demo".
 */
import type Database from 'better-sqlite3';
import { parsePointValue } from '@muster/core';
import type { LocalName } from '@muster/core';
import { SqliteSource } from './sqliteSource.ts';
import type { SqliteSourceConfig } from './sqliteSource.ts';
import type { SourceField } from './source.ts';

const f = (key: string, zh: string, en: string, mask?: SourceField['mask']): SourceField =>
  mask ? { key, name: { zh, en }, mask } : { key, name: { zh, en } };
const n = (zh: string, en: string): LocalName => ({ zh: `${zh}（演示）`, en: `${en} (demo)` });
const ownerName = (col: string): string => `(SELECT name FROM persons p WHERE p.key = ${col})`;
const ownerId = (col: string): string => `(SELECT id_no FROM persons p WHERE p.key = ${col})`;

export const DEMO_SOURCE_CONFIGS: SqliteSourceConfig[] = [
  {
    info: {
      id: 'persons',
      name: n('人口信息', 'Residents'),
      intent: 'person',
      keys: ['id', 'name', 'person'],
      fields: [
        f('name', '姓名', 'Name'),
        f('sex', '性别', 'Sex'),
        f('birth', '出生日期', 'Born'),
        f('idNo', '身份证号', 'ID number', 'id'),
        f('address', '住址', 'Address', 'text'),
        f('phone', '联系电话', 'Phone', 'phone'),
      ],
      sensitivity: 'sensitive',
      clearance: 1,
    },
    table: 'persons',
    keyColumn: 'key',
    personColumn: 'key',
    where: { id: 'id_no = ?', name: 'name = ? OR pinyin = ?', person: 'key = ?' },
    birthYearColumn: 'birth_year',
    columns: { name: 'name', sex: 'sex', birth: 'birth', idNo: 'id_no', address: 'address', phone: 'phone' },
    orderBy: 'birth_year',
  },
  {
    info: {
      id: 'phones',
      name: n('手机号码登记', 'Phone registrations'),
      intent: 'phoneOwner',
      keys: ['phone', 'person'],
      fields: [
        f('number', '号码', 'Number', 'phone'),
        f('owner', '机主', 'Owner'),
        f('ownerId', '机主身份证号', "Owner's ID", 'id'),
        f('carrier', '运营商', 'Carrier'),
        f('since', '登记日期', 'Registered'),
      ],
      sensitivity: 'sensitive',
      clearance: 1,
    },
    table: 'phones',
    keyColumn: 'number',
    personColumn: 'person_key',
    where: { phone: 'number = ?', person: 'person_key = ?' },
    columns: {
      number: 'number',
      owner: ownerName('phones.person_key'),
      ownerId: ownerId('phones.person_key'),
      carrier: 'carrier',
      since: 'since',
    },
  },
  {
    info: {
      id: 'vehicles',
      name: n('机动车登记', 'Vehicle registrations'),
      intent: 'vehicle',
      keys: ['plate', 'person'],
      fields: [
        f('plate', '号牌', 'Plate'),
        f('owner', '车主', 'Owner'),
        f('ownerId', '车主身份证号', "Owner's ID", 'id'),
        f('model', '车型', 'Model'),
        f('registered', '登记日期', 'Registered'),
      ],
      sensitivity: 'normal',
      clearance: 0,
    },
    table: 'vehicles',
    keyColumn: 'plate',
    personColumn: 'person_key',
    where: { plate: 'plate = ?', person: 'person_key = ?' },
    columns: {
      plate: 'plate',
      owner: ownerName('vehicles.person_key'),
      ownerId: ownerId('vehicles.person_key'),
      model: 'model',
      registered: 'registered',
    },
  },
  {
    info: {
      id: 'prior-cases',
      name: n('违法犯罪记录', 'Prior cases'),
      intent: 'priorCases',
      keys: ['person'],
      fields: [
        f('date', '日期', 'Date'),
        f('offence', '案由', 'Offence'),
        f('unit', '办案单位', 'Unit'),
        f('outcome', '处理结果', 'Outcome'),
      ],
      sensitivity: 'sensitive',
      clearance: 1,
    },
    table: 'prior_cases',
    keyColumn: 'key',
    personColumn: 'person_key',
    where: { person: 'person_key = ?' },
    columns: { date: 'date', offence: 'offence', unit: 'unit', outcome: 'outcome' },
    orderBy: 'date DESC',
  },
  {
    info: {
      id: 'wanted',
      name: n('在逃人员', 'Wanted persons'),
      intent: 'wanted',
      keys: ['person'],
      fields: [f('since', '立案日期', 'Since'), f('reason', '案由', 'Reason'), f('level', '级别', 'Level')],
      sensitivity: 'normal',
      clearance: 0,
    },
    table: 'wanted',
    keyColumn: 'key',
    personColumn: 'person_key',
    where: { person: 'person_key = ?' },
    columns: { since: 'since', reason: 'reason', level: 'level' },
  },
  {
    info: {
      id: 'lodging',
      name: n('旅馆住宿', 'Hotel stays'),
      intent: 'lodging',
      keys: ['person'],
      fields: [
        f('hotel', '旅馆', 'Hotel'),
        f('address', '地址', 'Address'),
        f('checkIn', '入住时间', 'Checked in'),
        f('nights', '晚数', 'Nights'),
        f('room', '房号', 'Room', 'text'),
      ],
      sensitivity: 'sensitive',
      clearance: 2,
    },
    table: 'lodging',
    keyColumn: 'key',
    personColumn: 'person_key',
    where: { person: 'person_key = ?' },
    columns: { hotel: 'hotel', address: 'address', checkIn: 'check_in', nights: 'nights', room: 'room' },
    orderBy: 'check_in DESC',
  },
  {
    info: {
      id: 'ride-hailing',
      name: n('网约车订单', 'Ride-hailing orders'),
      intent: 'rideHailing',
      keys: ['person', 'plate'],
      fields: [
        f('at', '时间', 'Time'),
        f('plate', '车牌', 'Plate'),
        f('driver', '司机', 'Driver'),
        f('passenger', '乘客', 'Passenger'),
        f('passengerId', '乘客身份证号', "Passenger's ID", 'id'),
        f('origin', '上车地点', 'From'),
        f('destination', '下车地点', 'To'),
      ],
      sensitivity: 'sensitive',
      clearance: 1,
    },
    table: 'rides',
    keyColumn: 'key',
    personColumn: 'passenger_key',
    where: { person: 'passenger_key = ? OR driver_key = ?', plate: 'plate = ?' },
    columns: {
      at: 'at',
      plate: 'plate',
      driver: ownerName('rides.driver_key'),
      passenger: ownerName('rides.passenger_key'),
      passengerId: ownerId('rides.passenger_key'),
      origin: 'origin',
      destination: 'destination',
    },
    orderBy: 'at DESC',
  },
  {
    info: {
      id: 'calls-110',
      name: n('110 接警记录', '110 calls'),
      intent: 'calls110',
      keys: ['person', 'phone', 'address'],
      fields: [
        f('at', '时间', 'Time'),
        f('phone', '来电号码', 'Caller number', 'phone'),
        f('caller', '报警人', 'Caller'),
        f('address', '地点', 'Place'),
        f('summary', '简要警情', 'Summary'),
      ],
      sensitivity: 'normal',
      clearance: 1,
    },
    table: 'calls110',
    keyColumn: 'key',
    personColumn: 'person_key',
    where: { person: 'person_key = ?', phone: 'phone = ?', address: 'instr(address, ?) > 0 OR instr(?, address) > 0' },
    columns: {
      at: 'at',
      phone: 'phone',
      caller: ownerName('calls110.person_key'),
      address: 'address',
      summary: 'summary',
    },
    orderBy: 'at DESC',
  },
  {
    info: {
      id: 'household',
      name: n('户籍同户', 'Household'),
      intent: 'household',
      keys: ['person', 'id'],
      fields: [
        f('name', '姓名', 'Name'),
        f('relation', '与户主关系', 'Relation'),
        f('birth', '出生日期', 'Born'),
        f('idNo', '身份证号', 'ID number', 'id'),
      ],
      sensitivity: 'sensitive',
      clearance: 1,
    },
    table: 'persons',
    keyColumn: 'key',
    personColumn: 'key',
    where: {
      person: 'household = (SELECT household FROM persons h WHERE h.key = ?)',
      id: 'household = (SELECT household FROM persons h WHERE h.id_no = ?)',
    },
    columns: { name: 'name', relation: 'relation', birth: 'birth', idNo: 'id_no' },
    orderBy: 'birth',
  },
  {
    info: {
      id: 'cameras',
      name: n('视频监控点位', 'Cameras'),
      intent: 'cameras',
      keys: ['address', 'point'],
      fields: [
        f('name', '点位', 'Camera'),
        f('address', '地址', 'Address'),
        f('lat', '纬度', 'Lat'),
        f('lon', '经度', 'Lon'),
      ],
      sensitivity: 'normal',
      clearance: 0,
    },
    table: 'cameras',
    keyColumn: 'key',
    where: {
      address: 'instr(?, road) > 0 OR instr(lower(?), lower(road_en)) > 0',
      // ASSIST-12: within about 2 km of a position (a box of ±0.02° latitude, ±0.024° longitude).
      point: 'lat BETWEEN ? AND ? AND lon BETWEEN ? AND ?',
    },
    bind: {
      point: (value) => {
        const p = parsePointValue(value);
        return p ? [p.lat - 0.02, p.lat + 0.02, p.lon - 0.024, p.lon + 0.024] : null;
      },
    },
    columns: { name: 'name', address: 'address', lat: 'round(lat, 5)', lon: 'round(lon, 5)' },
    orderBy: 'key',
  },
];

export function demoSources(db: Database.Database): SqliteSource[] {
  return DEMO_SOURCE_CONFIGS.map((c) => new SqliteSource(db, c));
}
