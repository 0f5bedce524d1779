// Synthetic applicants for bench/decide-http.ts, shared by the server side (which invites some of them) and
// the load process (which sends them): applicant i has its own ID number, phone, device, IP, SIM and contacts,
// and one of 1,000 partner install sources, so that no 强开 detector fires by accident.
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK = '10X98765432';
const DAY_MS = 86_400_000;
const FIRST_BIRTH_MS = Date.UTC(1975, 0, 1);

function birthDate(i) {
  return new Date(FIRST_BIRTH_MS + (Math.floor(i / 1000) % 9000) * DAY_MS).toISOString().slice(0, 10);
}

function idNumber(i) {
  const body = `440305${birthDate(i).replaceAll('-', '')}${String(i % 1000).padStart(3, '0')}`;
  let sum = 0;
  for (let k = 0; k < 17; k++) sum += WEIGHTS[k] * Number(body[k]);
  return body + CHECK[sum % 11];
}

function applicant(i) {
  const d = String(i).padStart(8, '0');
  return {
    productId: 'default',
    requestedLimit: `${10000 + (i % 5) * 5000}.00`,
    channel: 'app',
    identity: { name: '王小明', idNumber: idNumber(i), phone: `138${d}`, birthDate: birthDate(i) },
    address: { province: '广东省', city: '深圳市', detail: `南山区科技园 ${i} 号` },
    contacts: [{ name: '王大明', relation: 'parent', phone: `137${d}` }],
    maritalStatus: i % 3 === 0 ? 'single' : 'married',
    housing: i % 4 === 0 ? 'rent' : 'owner',
    dependants: i % 3,
    employment: {
      occupation: i % 10 === 0 ? 'freelancer' : 'salaried',
      industry: 'information-technology',
      employer: '某科技有限公司',
      monthsInRole: 6 + (i % 120),
    },
    income: {
      declaredMonthly: `${8000 + (i % 20) * 1000}.00`,
      evidence: [{ kind: 'payslip', monthlyAmount: `${7500 + (i % 20) * 1000}.00` }],
    },
    monthlyExpenses: '3000.00',
    assets: [{ kind: 'deposit', value: `${(i % 50) * 2000}.00` }],
    debts: i % 2 === 0 ? [] : [{ kind: 'credit-card', outstanding: '8000.00', monthlyPayment: '800.00' }],
    bureau: {
      outstandingBalance: i % 2 === 0 ? '0.00' : '8000.00',
      lenders3m: i % 4,
      lenders6m: (i % 4) + (i % 2),
      lenders12m: (i % 4) + (i % 2) + (i % 3),
      worstDaysPastDue: i % 17 === 0 ? 45 : 0,
      overdueMonths24m: i % 17 === 0 ? 2 : 0,
      historyMonths: 12 + (i % 100),
    },
    device: {
      deviceId: `dev-${d}`,
      ip: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`,
      sim: `898600${d}000000`,
      installSource: `partner:${i % 1000}`,
      capturedAt: new Date().toISOString(),
    },
  };
}

module.exports = { applicant, idNumber };
