import { randomInt } from './seeded.js';

/**
 * Synthetic customers for the demo: names, resident ID numbers with valid check digits, mobile numbers
 * and addresses that look real and belong to nobody (drawn from a seed, never from real records).
 */

const SURNAMES =
  '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤';
const GIVEN =
  '伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国志强红梅海燕雪梅晓东丹玉兰欣怡子轩浩然思远佳怡雨涵梓萱一鸣俊杰';

const PLACES: readonly { province: string; city: string; code: string; districts: readonly string[] }[] = [
  { province: '北京市', city: '北京市', code: '110105', districts: ['朝阳区', '海淀区', '丰台区'] },
  { province: '上海市', city: '上海市', code: '310115', districts: ['浦东新区', '徐汇区', '静安区'] },
  { province: '广东省', city: '深圳市', code: '440305', districts: ['南山区', '福田区', '宝安区'] },
  { province: '广东省', city: '广州市', code: '440106', districts: ['天河区', '越秀区', '海珠区'] },
  { province: '浙江省', city: '杭州市', code: '330106', districts: ['西湖区', '余杭区', '滨江区'] },
  { province: '四川省', city: '成都市', code: '510107', districts: ['武侯区', '锦江区', '青羊区'] },
  { province: '湖北省', city: '武汉市', code: '420106', districts: ['武昌区', '洪山区', '江汉区'] },
  { province: '江苏省', city: '南京市', code: '320105', districts: ['建邺区', '鼓楼区', '玄武区'] },
  { province: '河南省', city: '郑州市', code: '410105', districts: ['金水区', '二七区', '中原区'] },
  { province: '山东省', city: '济南市', code: '370102', districts: ['历下区', '市中区', '槐荫区'] },
];
const STREETS = [
  '建设路',
  '人民路',
  '解放路',
  '中山路',
  '和平路',
  '新华路',
  '光明街',
  '文化路',
  '学院路',
  '滨河路',
];
const RELATIONS: readonly SyntheticRelation[] = ['spouse', 'parent', 'sibling', 'friend', 'colleague'];
const MOBILE_PREFIXES = [
  '135',
  '136',
  '137',
  '138',
  '139',
  '150',
  '151',
  '158',
  '186',
  '187',
  '188',
  '177',
  '199',
];

function pick<T>(rand: () => number, list: readonly T[]): T {
  return list[randomInt(rand, 0, list.length - 1)]!;
}

function chineseName(rand: () => number): string {
  const given = Array.from(
    { length: randomInt(rand, 1, 2) },
    () => GIVEN[randomInt(rand, 0, GIVEN.length - 1)],
  ).join('');
  return `${SURNAMES[randomInt(rand, 0, SURNAMES.length - 1)]}${given}`;
}

function mobile(rand: () => number): string {
  return `${pick(rand, MOBILE_PREFIXES)}${String(randomInt(rand, 0, 99_999_999)).padStart(8, '0')}`;
}

/** A resident ID number (GB 11643): region, birth date, sequence and the ISO 7064 MOD 11-2 check. */
function idNumber(rand: () => number, regionCode: string, sequence: number): string {
  const year = randomInt(rand, 1965, 2002);
  const month = randomInt(rand, 1, 12);
  const day = randomInt(rand, 1, 28);
  const body = `${regionCode}${year}${String(month).padStart(2, '0')}${String(day).padStart(2, '0')}${String(sequence % 1000).padStart(3, '0')}`;
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  let sum = 0;
  for (let i = 0; i < 17; i += 1) sum += weights[i]! * Number(body[i]);
  return body + '10X98765432'[sum % 11]!;
}

/** The relations a synthetic contact is drawn from (all of them accepted by the customer store). */
export type SyntheticRelation = 'spouse' | 'parent' | 'sibling' | 'friend' | 'colleague';

/** A synthetic customer in the shape the customer store takes (store/customers.ts `NewCustomer`). */
export interface SyntheticCustomer {
  name: string;
  /** 居民身份证号码 resident ID number, 18 characters with a valid check character. */
  idNumber: string;
  phone: string;
  address: { province: string; city: string; detail: string };
  contacts: { name: string; relation: SyntheticRelation; phone: string }[];
  declaredMonthlyIncome_fen: number;
  externalRef: null;
}

export function syntheticCustomer(rand: () => number, sequence: number): SyntheticCustomer {
  const place = pick(rand, PLACES);
  return {
    name: chineseName(rand),
    idNumber: idNumber(rand, place.code, sequence),
    phone: mobile(rand),
    address: {
      province: place.province,
      city: place.city,
      detail: `${pick(rand, place.districts)}${pick(rand, STREETS)}${randomInt(rand, 1, 399)}号${randomInt(rand, 1, 30)}栋${randomInt(rand, 101, 2808)}室`,
    },
    contacts: Array.from({ length: randomInt(rand, 1, 2) }, () => ({
      name: chineseName(rand),
      relation: pick(rand, RELATIONS),
      phone: mobile(rand),
    })),
    declaredMonthlyIncome_fen: randomInt(rand, 30, 400) * 10_000,
    externalRef: null,
  };
}
