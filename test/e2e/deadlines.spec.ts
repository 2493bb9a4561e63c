import { readFileSync } from 'node:fs';
import ICAL from 'ical.js';
import { expect, loadDemo, test } from './fixtures.ts';

const count = async (page: import('@playwright/test').Page, status: string) =>
  Number(/(\d[\d,]*)\s*$/.exec((await page.getByTestId(`count-${status}`).textContent()) ?? '')?.[1]?.replace(/,/g, '') ?? 0);

test('the demo fleet shows overdue and due-soon devices with their reasons, and the calendar reads back', async ({ page }) => {
  await loadDemo(page);
  await page.getByRole('link', { name: /Deadlines/ }).click();
  await expect(page.getByRole('heading', { name: 'Deadlines' })).toBeVisible();

  const overdue = await count(page, 'overdue');
  const soon = (await count(page, 'due7')) + (await count(page, 'due30')) + (await count(page, 'due90'));
  const later = await count(page, 'later');
  expect(overdue).toBeGreaterThan(0);
  expect(soon).toBeGreaterThan(0);
  await expect(page.getByTestId('tile-overdue')).toContainText(String(overdue));
  // Every overdue row says why, in a sentence naming the rule's facts.
  const rows = page.locator('[data-testid="deadline-row"][data-status="overdue"]');
  await expect(rows.first()).toContainText(/due|ACK/);
  await page.screenshot({ path: 'test-results/screens/12-deadlines.png', fullPage: false });

  // Only overdue devices when that status is chosen.
  await page.getByTestId('count-overdue').click();
  await expect(page.locator('[data-testid="deadline-row"]')).toHaveCount(overdue);
  // The Fleet table filters by the same verdict.
  await page.getByRole('link', { name: /Fleet/ }).click();
  await page.getByTestId('filter-deadline').selectOption('overdue');
  await expect(page.getByTestId('fleet-shown')).toHaveText(`${overdue} shown`);
  await page.getByRole('link', { name: /Deadlines/ }).click();

  // The calendar: one event per device with an upcoming deadline, each with two reminders.
  const download = page.waitForEvent('download');
  await page.getByTestId('export-ics').click();
  const text = readFileSync((await (await download).path())!, 'utf8');
  const cal = new ICAL.Component(ICAL.parse(text));
  const events = cal.getAllSubcomponents('vevent');
  expect(events).toHaveLength(soon + later);
  for (const e of events) {
    expect(e.getFirstPropertyValue('summary')).toMatch(/^SLP: (ACK|Report) due — /);
    expect(e.getAllSubcomponents('valarm')).toHaveLength(2);
    expect((e.getFirstPropertyValue('dtstart') as ICAL.Time).toJSDate().getTime()).toBeGreaterThan(Date.now() - 60_000);
  }
});
