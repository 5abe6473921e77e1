import {
  formatDateTime,
  formatDuration,
  formatList,
  formatTime,
  hasCatalog,
  isLocale,
  loadCatalog,
  translate,
  translatePlural,
  type Locale,
  type Params,
  type PluralKey,
} from '../i18n/format.ts';
import type { MessageKey } from '../i18n/zh-CN.ts';

const STORAGE_KEY = 'muster.locale';

function initialLocale(): Locale {
  try {
    const saved = localStorage.getItem(STORAGE_KEY);
    if (isLocale(saved)) return saved;
  } catch {
    // storage unavailable
  }
  return 'zh-CN';
}

/** The interface language: zh-CN by default, English switchable; kept in localStorage. */
export class I18n {
  locale = $state<Locale>(initialLocale());
  /**
   * Cold-start budget: a page's first Intl formatter loads ICU data, 40–150 ms on the main thread. The
   * group list paints its rows first and shows their times once this is set, right after the first frame.
   */
  timesReady = $state(false);

  /**
   * BUDGET-1: settles once the saved language's catalogue is loaded (at once for zh-CN, which is built in); the app
   * mounts after it, so no text shows in the other language first.
   */
  readonly ready: Promise<void>;

  constructor() {
    document.documentElement.lang = this.locale;
    this.ready = loadCatalog(this.locale).catch((e: unknown) => {
      console.warn('muster: language catalogue not loaded', e);
      this.locale = 'zh-CN';
      document.documentElement.lang = this.locale;
    });
  }

  /** Whether the app can mount now, without waiting for `ready`. */
  get catalogLoaded(): boolean {
    return hasCatalog(this.locale);
  }

  t = (key: MessageKey, params?: Params): string => translate(this.locale, key, params);
  time = (t: number): string => formatTime(this.locale, t);
  dateTime = (t: number): string => formatDateTime(this.locale, t);
  duration = (ms: number): string => formatDuration(this.locale, ms);
  /** I18N-3: a list joined in the language's way (Intl.ListFormat). */
  list = (items: readonly string[]): string => formatList(this.locale, items);
  /** I18N-3: a counted message in the language's plural form (Intl.PluralRules). */
  plural = (key: PluralKey, count: number, params?: Params): string => translatePlural(this.locale, key, count, params);

  /** After the first frame: load the formatters (ICU), then let lists show times. */
  warmTimes(): void {
    const warm = () => {
      formatTime(this.locale, Date.now());
      this.timesReady = true;
    };
    if (typeof requestAnimationFrame === 'undefined') return warm();
    requestAnimationFrame(() => setTimeout(warm, 0));
  }

  /** Switches once the language's catalogue is loaded (offline, from the service worker's precache). */
  async setLocale(locale: Locale): Promise<void> {
    try {
      await loadCatalog(locale);
    } catch (e) {
      console.warn('muster: language catalogue not loaded', e);
      return;
    }
    this.locale = locale;
    document.documentElement.lang = locale;
    try {
      localStorage.setItem(STORAGE_KEY, locale);
    } catch {
      // storage unavailable
    }
  }

  toggle(): Promise<void> {
    return this.setLocale(this.locale === 'zh-CN' ? 'en' : 'zh-CN');
  }
}
