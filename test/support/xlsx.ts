// Real XLSX files for tests, made the way a spreadsheet app lays them out: the package parts, a
// workbook listing its sheets in tab order, relationships to each part, optional shared strings
// and styles, all zipped with fflate.
import { strToU8, zipSync, type Zippable } from 'fflate';

const SPREADSHEET = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const RELATIONSHIPS = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const TYPES = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';

export interface WorkbookSpec {
  /** Each sheet's name and its <sheetData> content, in tab order. */
  sheets: Array<{ name: string; rows: string; hidden?: boolean }>;
  sharedStrings?: string[];
  /** <cellXfs>' number format ids, by style index (s="1" is the second). */
  cellFormats?: number[];
  /** Custom number formats by id. */
  numberFormats?: Record<number, string>;
  date1904?: boolean;
  /** Extra parts, by path (e.g. a bomb). */
  extra?: Zippable;
}

const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');

export function xlsxFile(spec: WorkbookSpec): Uint8Array {
  const parts: Zippable = {
    '[Content_Types].xml': strToU8(
      `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/></Types>`,
    ),
    '_rels/.rels': strToU8(
      `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${TYPES}/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
    ),
  };
  const sheets = spec.sheets
    .map((s, i) => `<sheet name="${escape(s.name)}" sheetId="${i + 1}"${s.hidden ? ' state="hidden"' : ''} r:id="rId${i + 1}"/>`)
    .join('');
  parts['xl/workbook.xml'] = strToU8(
    `<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="${SPREADSHEET}" xmlns:r="${RELATIONSHIPS}">${spec.date1904 ? '<workbookPr date1904="1"/>' : '<workbookPr/>'}<sheets>${sheets}</sheets></workbook>`,
  );
  const rels = spec.sheets.map(
    (_, i) => `<Relationship Id="rId${i + 1}" Type="${TYPES}/worksheet" Target="worksheets/sheet${i + 1}.xml"/>`,
  );
  rels.push(`<Relationship Id="rIdS" Type="${TYPES}/sharedStrings" Target="sharedStrings.xml"/>`);
  rels.push(`<Relationship Id="rIdT" Type="${TYPES}/styles" Target="/xl/styles.xml"/>`);
  parts['xl/_rels/workbook.xml.rels'] = strToU8(
    `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${rels.join('')}</Relationships>`,
  );
  spec.sheets.forEach((s, i) => {
    parts[`xl/worksheets/sheet${i + 1}.xml`] = strToU8(
      `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="${SPREADSHEET}" xmlns:r="${RELATIONSHIPS}"><sheetData>${s.rows}</sheetData></worksheet>`,
    );
  });
  if (spec.sharedStrings)
    parts['xl/sharedStrings.xml'] = strToU8(
      `<?xml version="1.0" encoding="UTF-8"?><sst xmlns="${SPREADSHEET}" count="${spec.sharedStrings.length}">${spec.sharedStrings
        .map((text) => `<si><t xml:space="preserve">${escape(text)}</t></si>`)
        .join('')}</sst>`,
    );
  const formats = Object.entries(spec.numberFormats ?? {})
    .map(([id, code]) => `<numFmt numFmtId="${id}" formatCode="${escape(code)}"/>`)
    .join('');
  parts['xl/styles.xml'] = strToU8(
    `<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="${SPREADSHEET}"><numFmts>${formats}</numFmts><cellStyleXfs><xf numFmtId="0"/></cellStyleXfs><cellXfs>${(
      spec.cellFormats ?? [0]
    )
      .map((id) => `<xf numFmtId="${id}" xfId="0"/>`)
      .join('')}</cellXfs></styleSheet>`,
  );
  return zipSync({ ...parts, ...spec.extra }, { level: 6 });
}

/** A row of cells: text as inline strings, numbers as numbers; [value, style] for a styled number. */
export function row(line: number, cells: Array<string | number | [number, number] | undefined>): string {
  const xml = cells.map((cell, i) => {
    const reference = `${String.fromCharCode(65 + i)}${line}`;
    if (cell === undefined) return '';
    if (typeof cell === 'string') return `<c r="${reference}" t="inlineStr"><is><t>${escape(cell)}</t></is></c>`;
    if (typeof cell === 'number') return `<c r="${reference}"><v>${cell}</v></c>`;
    return `<c r="${reference}" s="${cell[1]}"><v>${cell[0]}</v></c>`;
  });
  return `<row r="${line}">${xml.join('')}</row>`;
}
