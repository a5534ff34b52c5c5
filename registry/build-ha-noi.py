"""Builds registry/ha-noi-2025.csv from two PyPI packages (see registry/README.md)."""
import json, sys, unicodedata, re, csv, importlib.util, io
NEW = sys.argv[1]   # vietnam_provinces 2025.10.1 data/nested-divisions.json
OLD = sys.argv[2]   # vietnam_provinces 0.6.0 data/nested-divisions.json
MAP = sys.argv[3]   # vietnam_address_converter 1.0.5 data.py
OUT = sys.argv[4]

def fold(s):
    s = unicodedata.normalize('NFD', s.replace('Đ','D').replace('đ','d'))
    s = ''.join(c for c in s if unicodedata.category(c) != 'Mn').lower()
    s = re.sub(r'\s*-\s*', '-', s)
    return re.sub(r'\s+', ' ', s).strip()

def nfc(s): return unicodedata.normalize('NFC', s)

def base(name):
    f = fold(name)
    for p in ('phuong ', 'xa ', 'thi tran ', 'quan ', 'huyen ', 'thi xa '):
        if f.startswith(p): return f[len(p):]
    return f

new = [p for p in json.load(open(NEW)) if p['code'] == 1][0]
old = [p for p in json.load(open(OLD)) if p['code'] == 1][0]
spec = importlib.util.spec_from_file_location('d', MAP); m = importlib.util.module_from_spec(spec); spec.loader.exec_module(m)
rows = [r for r in m.mapping['rows'] if fold(r['old']['province_name']).endswith('ha noi')]

new_by = {}
for w in new['wards']:
    new_by[base(w['name'])] = w
old_by = {}
for d in old['districts']:
    for w in d['wards']:
        k = (base(d['name']), fold(w['name']))
        if k in old_by: print('COLLISION', k, old_by[k][1]['name'], w['name'], file=sys.stderr)
        old_by[k] = (d, w)

succ = {}
missing_old, missing_new = set(), set()
for r in rows:
    key = (base(r['old']['district_name']), fold(r['old']['ward_name']))
    if key not in old_by: missing_old.add(key); continue
    nb = base(r['new']['ward_name'])
    if nb not in new_by: missing_new.add(nb); continue
    succ.setdefault(key, [])
    c = '%05d' % new_by[nb]['code']
    if c not in succ[key]: succ[key].append(c)
print('mapping rows', len(rows), 'old matched', len(succ), 'of', len(old_by), 'missing old', sorted(missing_old), 'missing new', sorted(missing_new), file=sys.stderr)
unmapped = [k for k in old_by if k not in succ]
print('old units without successor', unmapped, file=sys.stderr)

# Parts the package's address mapping leaves out, read in the articles of Nghị quyết
# 1656/NQ-UBTVQH15 checked (registry/README.md): old GSO code -> new codes to add.
CHECKED_ADDITIONS = {
    70: ['00073'],           # Hàng Trống: the rest to Cửa Nam (Cửa Nam's article)
    19: ['00070'],           # Điện Biên: a part to Hoàn Kiếm (Hoàn Kiếm's article)
    40: ['00004'],           # Đồng Xuân: the rest to Ba Đình (Ba Đình's article)
    73: ['00070', '00004'],  # Cửa Nam: parts to Hoàn Kiếm and Ba Đình
    241: ['00073'],          # Nguyễn Du: a part to Cửa Nam
    247: ['00073'],          # Phạm Đình Hổ: a part to Cửa Nam
    112: ['00004'],          # Thụy Khuê: a part of its area to Ba Đình
    157: ['00008'],          # Nghĩa Đô: a part to Ngọc Hà (Ngọc Hà's article)
    178: ['00025'],          # Cát Linh: a part to Giảng Võ (Giảng Võ's article)
}

def kind(t):
    return {'phường': 'Phường', 'xã': 'Xã', 'thị trấn': 'Thị trấn'}[t]

out = io.StringIO()
w = csv.writer(out, lineterminator='\n')
w.writerow(['Mã đơn vị', 'Tên đơn vị', 'Loại', 'Mã đơn vị cấp trên', 'Hiệu lực từ ngày', 'Hiệu lực đến ngày', 'Mã đơn vị kế thừa', 'Mã địa bàn'])
for x in sorted(new['wards'], key=lambda x: x['code']):
    w.writerow(['%05d' % x['code'], nfc(x['name']), kind(x['division_type']), 'HN', '01/07/2025', '', '', ''])
for d in old['districts']:
    dc = 'CU-%03d' % d['code']
    w.writerow([dc, nfc(d['name']), 'Quận/Huyện/Thị xã', 'HN', '', '30/06/2025', '', ''])
    for x in d['wards']:
        key = (base(d['name']), fold(x['name']))
        name = nfc(x['name'])
        t = fold(name).split(' ')[0]
        k = 'Phường' if t == 'phuong' else ('Thị trấn' if fold(name).startswith('thi tran') else 'Xã')
        codes = succ.get(key, []) + [c for c in CHECKED_ADDITIONS.get(x['code'], []) if c not in succ.get(key, [])]
        w.writerow(['CU-%05d' % x['code'], name, k, dc, '', '30/06/2025', '; '.join(codes), ''])
open(OUT, 'w', encoding='utf-8').write(out.getvalue())
