import { describe, expect, it } from 'vitest';
import {
  maskAddress,
  maskContact,
  maskIdNumber,
  maskName,
  maskPhone,
} from '../../src/server/http/masking.js';

describe('masking', () => {
  it('keeps the first 3 and last 4 characters of ID numbers and phones', () => {
    expect(maskIdNumber('11010519491231002X')).toBe('110***********002X');
    expect(maskPhone('13812345678')).toBe('138****5678');
    expect(maskPhone('1234567')).toBe('*******');
  });

  it('keeps the family name only', () => {
    expect(maskName('张三丰')).toBe('张**');
    expect(maskName('李四')).toBe('李*');
    expect(maskName('Wang Xiao Ming')).toBe('Wang **** ****');
    expect(maskName('𠮷野家')).toBe('𠮷**');
  });

  it('shows province and city of an address only', () => {
    expect(maskAddress({ province: '广东省', city: '深圳市', detail: '南山区科技园 1 号' })).toEqual({
      province: '广东省',
      city: '深圳市',
    });
  });

  it('masks contacts like customers', () => {
    expect(maskContact({ name: '王五', relation: 'parent', phone: '13900001111' })).toEqual({
      name: '王*',
      relation: 'parent',
      phone: '139****1111',
    });
  });
});
