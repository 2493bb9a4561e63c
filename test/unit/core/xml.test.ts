import { describe, expect, it } from 'vitest';
import { ImportError } from '../../../src/core/errors.ts';
import { parseXml, textOf } from '../../../src/core/formats/xml.ts';
import { decode, text } from '../helpers.ts';

function fails(xml: string | Uint8Array): ImportError {
  try {
    parseXml(typeof xml === 'string' ? text(xml) : xml, ['f.xml']);
  } catch (e) {
    expect(e).toBeInstanceOf(ImportError);
    return e as ImportError;
  }
  throw new Error('expected the XML to be refused');
}

describe('xml reader', () => {
  it('gives exact byte offsets of every element, also after multi-byte characters', () => {
    const xml = '<?xml version="1.0"?>\n<!-- c --><root a="1"><é>ü</é><b x=\'2\'/><c><![CDATA[<not a tag>]]></c></root>\n';
    const bytes = text(xml);
    const doc = parseXml(bytes, ['f.xml']);
    const slice = (n: { start: number; end: number }) => decode(bytes.subarray(n.start, n.end));
    expect(doc.root.name).toBe('root');
    expect(doc.root.attributes).toEqual({ a: '1' });
    expect(doc.root.children.map(slice)).toEqual(['<é>ü</é>', "<b x='2'/>", '<c><![CDATA[<not a tag>]]></c>']);
    expect(textOf(doc, doc.root.children[0]!, [])).toBe('ü');
    expect(textOf(doc, doc.root.children[2]!, [])).toBe('<not a tag>');
    expect(doc.root.children[1]!.attributes).toEqual({ x: '2' });
    expect(doc.hadComments).toBe(true);
    expect(slice(doc.root)).toBe(xml.trim().slice(xml.indexOf('<root')));
  });

  it('resolves the five XML entities and character references, nothing else', () => {
    const doc = parseXml(text('<a>&lt;&gt;&amp;&quot;&apos;&#65;&#x42;</a>'), []);
    expect(textOf(doc, doc.root, [])).toBe('<>&"\'AB');
    const unknown = parseXml(text('<a>&xxe;</a>'), ['f.xml']);
    expect(() => textOf(unknown, unknown.root, ['f.xml'])).toThrow(/unknown entity reference "&xxe;".*never expanded/);
  });

  it('skips a UTF-8 byte-order mark', () => {
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...text('<a>x</a>')]);
    expect(parseXml(bytes, []).root.start).toBe(3);
  });

  it.each([
    ['<!DOCTYPE a [<!ENTITY x "y">]><a>&x;</a>', /document type declaration \(DTD\) is refused/],
    ['<a><b></a></b>', /line 1: <\/a> closes <b>/],
    ['<a></a><b></b>', /a second document element <b>/],
    ['junk<a/>', /text before the document element/],
    ['<a/>junk', /text after the end of the document element/],
    ['<a x=1/>', /attribute x of <a> is not quoted/],
    ['<a x="1" x="2"/>', /attribute x repeated/],
    ['<a>\n\n< b/></a>', /line 3: a "<" that starts no tag/],
    ['', /holds no XML element/],
  ])('refuses %j', (xml, message) => {
    const e = fails(xml);
    expect(e.code).toBe('xml');
    expect(e.message).toMatch(message);
    expect(e.message.startsWith('f.xml: ')).toBe(true);
  });

  it.each([
    ['<a><b>text', /<b> \(line 1\) is never closed/],
    ['<a><![CDATA[abc', /unterminated CDATA/],
    ['<a><!-- abc', /unterminated comment/],
    ['<a x="1', /unterminated attribute/],
  ])('says %j was cut short', (xml, message) => {
    const e = fails(xml);
    expect(e.code).toBe('truncated');
    expect(e.message).toMatch(message);
  });

  it('refuses UTF-16 and invalid UTF-8', () => {
    expect(fails(new Uint8Array([0xff, 0xfe, 0x3c, 0x00])).code).toBe('encoding');
    const bad = parseXml(new Uint8Array([...text('<a>'), 0xc3, 0x28, ...text('</a>')]), ['f.xml']);
    expect(() => textOf(bad, bad.root, ['f.xml'])).toThrow(/not valid UTF-8/);
  });

  it('refuses nesting deeper than the cap (a cheap denial-of-service otherwise)', () => {
    const deep = '<a>'.repeat(40) + '</a>'.repeat(40);
    expect(fails(deep).message).toMatch(/nested more than 32 deep/);
  });
});
