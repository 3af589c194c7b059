// Site search (/search/): Pagefind with our own query splitting; see xuncha_site/search.py for why.
//
// The index holds every run of Han characters as overlapping bigrams plus its last character, so the query is split
// here with the same rules (searchTokens must stay identical to xuncha_site.search.search_tokens; a test compares
// them). Every part of the query must match (all its tokens; a quoted phrase exactly; an unquoted word of six
// characters or more, every other bigram of it); pages that hold each word of two characters or more as an exact
// phrase are listed first. Excerpts are cut from the notice's real text, from the block of it that Pagefind's match
// positions point to.

const HAN = "\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u{20000}-\u{2ffff}";
const DASHES = "\\-\u2010\u2011\u2012\u2013\u2014\u2015\ufe63";
const TOKEN = new RegExp(`([${HAN}]+)|([0-9]+(?:[${DASHES}][0-9]+)+)|([0-9a-z]+)`, "gu");
const TOKEN_CHAR = new RegExp(`^[${HAN}0-9a-z]$`, "u");
// Results shown at a time (显示更多结果 adds as many): each loads its fragment, about 3.5 KB, before the first result
// shows; 5 fill a screen on a phone and halve what a first search fetches for them (bench/build.py --first-search).
const PAGE_SIZE = 5;
const EXCERPT_BEFORE = 30;
const EXCERPT_LENGTH = 110;
const GAPPED_FROM = 5; // unquoted words of this many bigrams or more (six characters) are looked up by half of them

/** Index tokens of `text`, each with its kind: the same list as search_tokens() in Python. */
function tokenize(text) {
  const tokens = [];
  for (const match of text.normalize("NFKC").toLowerCase().matchAll(TOKEN)) {
    if (match[1]) {
      const run = Array.from(match[1]);
      for (let i = 0; i < run.length - 1; i++) tokens.push({ text: run[i] + run[i + 1], kind: "bigram" });
      tokens.push({ text: run[run.length - 1], kind: run.length > 1 ? "last" : "char" });
    } else if (match[2]) {
      const groups = match[2].match(/[0-9]+/g);
      for (const group of groups) tokens.push({ text: group, kind: "word" });
      tokens.push({ text: groups.join(""), kind: "word" });
    } else {
      tokens.push({ text: match[3], kind: "word" });
    }
  }
  return tokens;
}

export function searchTokens(text) {
  return tokenize(text).map((token) => token.text);
}

/**
 * Query → its parts (words separated by spaces, or quoted phrases), each with the tokens it requires and, for words
 * of two tokens or more, the exact phrase; plus the distinct tokens of the whole query.
 */
export function parseQuery(query) {
  const parts = [];
  const tokens = new Map();
  const phrases = [];
  for (const match of query.matchAll(/"([^"]*)"|“([^”]*)”|([^\s"“”]+)/gu)) {
    const text = match[1] ?? match[2] ?? match[3];
    const found = tokenize(text);
    if (!found.length) continue;
    // The last character of a run is also the start of its last bigram: that bigram already requires it.
    const required = found.filter((token) => token.kind !== "last");
    // In the index that last character may start a bigram, so an exact phrase must not require it either.
    const phrase = found.map((token) => token.text);
    if (["last", "char"].includes(found[found.length - 1].kind)) phrase.pop();
    const part = { text, quoted: match[3] === undefined, tokens: required.map((token) => token.text), phrase: -1 };
    if (!part.quoted && phrase.length >= GAPPED_FROM) {
      // A long word is looked up by every other bigram (and its last): together they hold each of its characters,
      // and their positions, two apart, tell where the word itself stands. Half the index chunks to fetch.
      part.gapped = phrase.map((token, i) => [i, token]).filter(([i]) => i % 2 === 0 || i === phrase.length - 1);
      part.tokens = part.gapped.map(([, token]) => token);
    } else if (phrase.length > 1) part.phrase = phrases.push(phrase) - 1;
    for (const token of required) if (part.tokens.includes(token.text)) tokens.set(token.text, token);
    parts.push(part);
  }
  const width = (part) => (part.gapped ? part.gapped[part.gapped.length - 1][0] + 1 : part.tokens.length);
  const span = Math.max(1, ...parts.map(width));
  return { parts, tokens: [...tokens.values()], phrases, needles: parts.map((part) => part.text), span };
}

/**
 * Where a result matched best: the start of the window of `span` index positions that holds the most of the
 * positions Pagefind matched (an exact phrase fills it), the earliest of equals; 0 when nothing matched.
 */
export function bestLocation(words, span) {
  const sorted = [...(words ?? [])].sort((a, b) => a - b);
  let best = sorted.length ? sorted[0] : 0;
  let most = 0;
  for (let end = 0, start = 0; end < sorted.length; end++) {
    while (sorted[start] <= sorted[end] - span) start++;
    if (end - start + 1 > most) {
      most = end - start + 1;
      best = sorted[start];
    }
  }
  return best;
}

// ---------------------------------------------------------------------------------------------------------------
// Excerpts and highlighting, from the real text.

/** Characters of `text` that tokens are made of, normalised, each with the span of `text` it came from. */
function matchKey(text) {
  let key = "";
  const from = [];
  const to = [];
  let index = 0;
  for (const char of text) {
    for (const folded of char.normalize("NFKC").toLowerCase()) {
      if (TOKEN_CHAR.test(folded)) {
        key += folded;
        from.push(index);
        to.push(index + char.length);
      }
    }
    index += char.length;
  }
  return { key, from, to };
}

function occurrences(haystack, needle) {
  const found = [];
  if (!needle) return found;
  for (let at = haystack.indexOf(needle); at !== -1; at = haystack.indexOf(needle, at + 1)) found.push(at);
  return found;
}

/** Spans of `text` to highlight: each query word where it occurs whole, otherwise its bigrams and short words. */
function highlightSpans(text, needles) {
  const { key, from, to } = matchKey(text);
  const spans = [];
  for (const needle of needles) {
    const whole = matchKey(needle).key;
    let pieces = occurrences(key, whole).length ? [whole] : searchTokens(needle).filter((t) => t.length > 1);
    if (!pieces.length) pieces = [whole];
    for (const piece of pieces) {
      for (const at of occurrences(key, piece)) spans.push([from[at], to[at + piece.length - 1], piece.length]);
    }
  }
  spans.sort((a, b) => a[0] - b[0]);
  const merged = [];
  for (const span of spans) {
    const previous = merged[merged.length - 1];
    if (previous && span[0] <= previous[1]) {
      previous[1] = Math.max(previous[1], span[1]);
      previous[2] = Math.max(previous[2], span[2]);
    } else merged.push([...span]);
  }
  return merged;
}

/** A window of `text` around its best match, with the highlighted spans inside it. */
export function excerpt(text, needles) {
  const flat = text.replace(/\s*\n\s*/g, " ");
  const spans = highlightSpans(flat, needles);
  const best = spans.reduce((top, span) => (!top || span[2] > top[2] ? span : top), null);
  let start = 0;
  if (best && best[0] > EXCERPT_BEFORE) {
    start = best[0] - EXCERPT_BEFORE;
    // Start at a sentence when one begins shortly before the match.
    const stop = Math.max(flat.lastIndexOf("。", best[0] - 1), flat.lastIndexOf("；", best[0] - 1));
    if (stop >= start - 20 && stop < best[0]) start = stop + 1;
  }
  const end = Math.min(flat.length, start + EXCERPT_LENGTH);
  const inside = spans
    .filter((span) => span[1] > start && span[0] < end)
    .map((span) => [Math.max(span[0], start) - start, Math.min(span[1], end) - start]);
  return { text: flat.slice(start, end), spans: inside, before: start > 0, after: end < flat.length };
}

function appendMarked(element, text, spans) {
  let at = 0;
  for (const [from, to] of spans) {
    element.append(text.slice(at, from));
    const mark = document.createElement("mark");
    mark.textContent = text.slice(from, to);
    element.append(mark);
    at = to;
  }
  element.append(text.slice(at));
}

// ---------------------------------------------------------------------------------------------------------------
// Searching.

class Search {
  constructor(root) {
    this.root = root;
    this.bundle = new URL(root.dataset.bundle, document.baseURI);
    this.form = root.querySelector("form");
    this.input = this.form.elements.q;
    this.members = root.dataset.members ? new URL(root.dataset.members, document.baseURI) : null;
    this.selects = ["round", "year", "stage", "theme", "member"].map((name) => this.form.elements[name]).filter(Boolean);
    this.status = root.querySelector("[data-search-status]");
    this.list = root.querySelector("[data-search-results]");
    this.more = root.querySelector("[data-search-more]");
    this.allButton = root.querySelector("[data-search-all]");
    this.generation = 0;
    this.ready = this.load();
  }

  async load() {
    const response = await fetch(new URL("xuncha-search.json", this.bundle));
    if (!response.ok) throw new Error(`manifest ${response.status}`);
    this.manifest = await response.json();
    // An aggregator (federation) also searches the copies of its member sites' bundles, on this same host.
    this.memberSites = [];
    if (this.members) {
      const list = await fetch(this.members);
      if (!list.ok) throw new Error(`members ${list.status}`);
      for (const member of (await list.json()).members) {
        const bundle = new URL(member.bundle, this.members);
        const manifest = await fetch(new URL("xuncha-search.json", bundle));
        if (manifest.ok) this.memberSites.push({ ...member, bundle, manifest: await manifest.json() });
      }
      this.manifest.filters.member = this.memberSites.map((member) => member.name);
      this.manifest.documents += this.memberSites.reduce((sum, member) => sum + member.manifest.documents, 0);
    }
    this.fillFilters();
    // A large site also has a bundle of its newest notices: a first search reads that one only (a fraction of the
    // bytes), and the 在全部 M 篇通报中搜索 button loads the whole index. An aggregator's first search reads, of each
    // member that has one, that bundle instead of the member's whole index.
    this.first = !this.members ? (this.manifest.first ?? null) : this.membersFirst();
    if (this.first) {
      this.firstPagefind = await (this.members
        ? this.loadAll(true)
        : this.open(new URL(this.first.path, this.bundle)));
    } else {
      this.pagefind = await this.all();
    }
  }

  /** Pagefind's runtime of the bundle at `bundle`, started; each bundle's pagefind.js is a module of its own. */
  async open(bundle, instance = "") {
    // A module is one instance: another query string (an aggregator's first search) loads another one.
    const pagefind = await import(new URL(`pagefind.js${instance}`, bundle).href);
    // Pagefind takes the query's language from <html lang>; with zh-CN it would split the query with
    // Intl.Segmenter and break our bigrams. It reads the attribute once, synchronously, when it starts.
    const html = document.documentElement;
    const lang = html.getAttribute("lang");
    html.setAttribute("lang", this.manifest.language);
    try {
      // Searching in the page itself, not in a worker: one script less (≈ 40 KB) on every first search, and our
      // shards of at most a few thousand notices are searched in milliseconds.
      pagefind.options({ noWorker: true });
      pagefind.init();
    } finally {
      if (lang === null) html.removeAttribute("lang");
      else html.setAttribute("lang", lang);
    }
    return pagefind;
  }

  /** The runtime that searches every notice (all shards, and an aggregator's member sites), loaded once. */
  all() {
    this.loadingAll ??= this.loadAll();
    return this.loadingAll;
  }

  /** An aggregator's first search (when a member has a first-search bundle): what it covers, for the status line. */
  membersFirst() {
    if (!this.memberSites.some((member) => member.manifest.first)) return null;
    const own = this.manifest.documents - this.memberSites.reduce((sum, m) => sum + m.manifest.documents, 0);
    const documents = this.memberSites.reduce((sum, m) => sum + (m.manifest.first ?? m.manifest).documents, own);
    return { documents, newest: `各成员站点最新的通报（共 ${documents} 篇）中` };
  }

  async loadAll(firstOnly = false) {
    const pagefind = await this.open(this.bundle, firstOnly ? "?first" : "");
    for (const shard of this.manifest.shards) {
      await pagefind.mergeIndex(new URL(shard, this.bundle).pathname, { language: this.manifest.language });
    }
    for (const member of this.memberSites) {
      // Results link to the member's own pages (its index stores URL paths: the member's address goes in front)
      // and carry the member's name as a filter.
      const baseUrl = new URL(member.url).origin;
      // Its newest notices at the top of its bundle, older ones in its shards; or its first-search bundle only.
      const first = firstOnly ? member.manifest.first : null;
      const shards = first ? [first.path] : ["", ...member.manifest.shards];
      for (const shard of shards) {
        await pagefind.mergeIndex(new URL(shard, member.bundle).pathname, {
          language: member.manifest.language,
          baseUrl,
          mergeFilter: { member: member.name },
        });
      }
    }
    return pagefind;
  }

  /** Search everything from now on (the 在全部 M 篇通报中搜索 button). */
  async searchAll() {
    this.all().catch(() => {}); // start loading at once; search() reports a failure
    this.first = null;
    this.allButton.hidden = true;
    await this.search();
    this.status.focus();
  }

  fillFilters() {
    for (const select of this.selects) {
      const wanted = select.dataset.initial ?? "";
      const values = this.manifest.filters[select.name] ?? [];
      for (const value of values) {
        const option = new Option(select.name === "year" ? `${value}年` : value, value);
        select.append(option);
      }
      select.value = wanted;
      // The theme filter is there only on a site with a theme list (共性问题).
      const label = select.closest("[data-search-filter]");
      if (label) label.hidden = !values.length;
    }
  }

  filters() {
    const filters = {};
    for (const select of this.selects) if (select.value) filters[select.name] = select.value;
    return filters;
  }

  async search() {
    const generation = ++this.generation;
    const query = this.input.value.trim();
    const filters = this.filters();
    this.syncUrl(query, filters);
    const parsed = parseQuery(query);
    if (!parsed.tokens.length && !Object.keys(filters).length) {
      await this.show(generation, null, parsed);
      this.root.dataset.state = "done";
      return;
    }
    this.setStatus("正在搜索……");
    this.root.dataset.state = "searching";
    try {
      await this.ready;
      const first = this.first;
      this.pagefind = first ? this.firstPagefind : await this.all();
      const results = await this.find(parsed, filters);
      // The site's own first bundle's results are shown from its files of one block each (an aggregator merges its
      // members' first bundles, whose block files it does not copy: their results come from their fragments).
      const blocks = this.members ? null : this.manifest.first_blocks;
      if (first && blocks) results.blocks = { url: new URL(blocks.path, this.bundle), size: blocks.block };
      await this.show(generation, results, parsed);
    } catch (error) {
      console.error(error);
      if (generation === this.generation) this.setStatus("搜索暂时不可用，请稍后再试，或到巡察轮次页面查找通报。");
    }
    // Tests and assistive tools can tell when the results on screen belong to the last query.
    if (generation === this.generation) this.root.dataset.state = "done";
  }

  /**
   * Pagefind ranks pages that match any of the terms and, for a word it does not know, also words that begin it;
   * so every token is looked up on its own as an exact word (a single character as a prefix: it may start a bigram)
   * and each part of the query must match: all its tokens, or its exact phrase when quoted. Pages that hold every
   * phrase exactly come first; within each group, Pagefind's ranking of the whole query.
   */
  async find(parsed, filters) {
    if (!parsed.tokens.length) {
      // Filters only: every notice that passes them, newest first.
      const all = await this.pagefind.search(null, { filters, sort: { published: "desc" } });
      return { results: all.results, exact: 0 };
    }
    const search = (term) => this.pagefind.search(term, { filters });
    const ids = (found) => new Set(found.results.map((result) => result.id));
    const locations = (found) => new Map(found.results.map((result) => [result.id, result.words]));
    const [ranked, tokenSets, phraseSets] = await Promise.all([
      search(parsed.tokens.map((token) => token.text).join(" ")),
      Promise.all(
        parsed.tokens.map((token) => search(token.kind === "char" ? token.text : `"${token.text}"`).then(locations)),
      ),
      Promise.all(parsed.phrases.map((phrase) => search(`"${phrase.join(" ")}"`).then(ids))),
    ]);
    const having = new Map(parsed.tokens.map((token, i) => [token.text, tokenSets[i]]));
    // A long word stands where each of its looked-up bigrams is found at its own distance from the first.
    const hasWord = (part, id) => {
      const [[, first], ...others] = part.gapped;
      const at = others.map(([offset, token]) => [offset, new Set(having.get(token).get(id) ?? [])]);
      return (having.get(first).get(id) ?? []).some((start) => at.every(([offset, set]) => set.has(start + offset)));
    };
    const matches = (id) =>
      parsed.parts.every((part) =>
        part.quoted && part.phrase >= 0
          ? phraseSets[part.phrase].has(id)
          : part.tokens.every((token) => having.get(token).has(id)),
      );
    const isExact = (id) =>
      phraseSets.every((set) => set.has(id)) && parsed.parts.every((part) => !part.gapped || hasWord(part, id));
    const results = ranked.results.filter((result) => matches(result.id));
    const exact = new Set(results.filter((result) => isExact(result.id))); // once a result: hasWord builds sets
    return { results: [...exact, ...results.filter((result) => !exact.has(result))], exact: exact.size };
  }

  async show(generation, found, parsed) {
    if (generation !== this.generation) return;
    this.list.replaceChildren();
    this.more.hidden = true;
    if (this.allButton) this.allButton.hidden = !(found && this.first);
    this.found = found;
    this.parsed = parsed;
    this.shown = 0;
    if (!found) {
      this.setStatus("请输入关键词，或选择轮次、年度、阶段、共性问题。");
      return;
    }
    const count = found.results.length;
    if (this.first) {
      // Only the newest notices were searched: say so, and offer all of them.
      this.allButton.textContent = `在全部 ${this.manifest.documents} 篇通报中搜索`;
      const newest = this.first.newest ?? `最新的 ${this.first.documents} 篇通报中`;
      this.setStatus(count ? `在${newest}找到 ${count} 篇` : `${newest}没有找到符合条件的通报。`);
      if (!count) return;
    } else if (!count) {
      this.setStatus("没有找到符合条件的通报。可以减少关键词或筛选条件，或到巡察轮次页面浏览全部通报。");
      return;
    } else this.setStatus(`找到 ${count} 篇通报`);
    await this.showMore();
  }

  async showMore() {
    const generation = this.generation;
    const page = this.found.results.slice(this.shown, this.shown + PAGE_SIZE);
    this.shown += page.length;
    const documents = await Promise.all(page.map((result) => this.document(result, this.found.blocks)));
    if (generation !== this.generation) return;
    const items = documents.filter(Boolean).map((doc) => this.render(doc));
    this.list.append(...items);
    this.more.hidden = this.shown >= this.found.results.length;
    return items[0];
  }

  /**
   * The result's fields and the block of its text that holds its best match (the first block when it matched on
   * filters only), from its fragment: one gzipped file a notice, which Pagefind fetches and unpacks; or, for a result
   * of the first bundle (`blocks`), from that block's own file, which holds the fields too.
   */
  async document(result, blocks) {
    try {
      const location = bestLocation(result.words, this.parsed.span);
      if (blocks) {
        const response = await fetch(new URL(`${result.id}-${Math.floor(location / blocks.size)}.json`, blocks.url));
        if (!response.ok) throw new Error(`block ${response.status}`);
        return await response.json();
      }
      const data = await result.data();
      const block = Math.floor(location / this.manifest.block);
      const doc = { ...data.meta, ...(data.blocks[block] ?? data.blocks[0]) };
      const member = this.memberOf(data.url);
      return member ? { ...doc, url: data.url, member: member.name } : doc;
    } catch (error) {
      console.error(error);
      return null;
    }
  }

  /** The member site a result's full address belongs to (the longest matching member address), if any. */
  memberOf(url) {
    if (!/^https?:\/\//.test(url ?? "")) return null;
    const owners = this.memberSites.filter((member) => url.startsWith(member.url));
    const fallback = this.memberSites.filter((member) => new URL(member.url).origin === new URL(url).origin);
    return [...owners, ...fallback].sort((a, b) => b.url.length - a.url.length)[0] ?? null;
  }

  render(doc) {
    const item = document.createElement("li");
    item.className = "xs-result";
    const heading = document.createElement("h2");
    heading.className = "xs-result__title";
    const link = document.createElement("a");
    link.href = doc.url;
    appendMarked(link, doc.title, this.titleSpans(doc.title));
    heading.append(link);
    const meta = document.createElement("p");
    meta.className = "xs-result__meta";
    for (const [label, value] of [
      ["成员站点", doc.member],
      ["轮次", doc.round],
      ["单位", doc.unit],
      ["发布", doc.date],
      ["阶段", doc.stage],
    ]) {
      if (!value) continue;
      const field = document.createElement("span");
      field.className = "xs-result__field";
      const name = document.createElement("span");
      name.className = "xs-visually-hidden";
      name.textContent = `${label}：`;
      field.append(name, value);
      meta.append(field);
    }
    const summary = excerpt(doc.text, this.parsed.needles);
    const text = document.createElement("p");
    text.className = "xs-result__excerpt";
    if (summary.before || doc.before) text.append("…");
    appendMarked(text, summary.text, summary.spans);
    if (summary.after || doc.after) text.append("…");
    item.append(heading, meta, text);
    return item;
  }

  titleSpans(title) {
    return this.parsed.needles.length ? highlightSpans(title, this.parsed.needles).map(([a, b]) => [a, b]) : [];
  }

  setStatus(text) {
    this.status.textContent = text;
  }

  syncUrl(query, filters) {
    const params = new URLSearchParams();
    if (query) params.set("q", query);
    for (const [name, value] of Object.entries(filters)) params.set(name, value);
    const search = params.toString();
    history.replaceState(history.state, "", search ? `?${search}` : location.pathname);
  }
}

function start(root) {
  const search = new Search(root);
  const params = new URLSearchParams(location.search);
  search.input.value = params.get("q") ?? "";
  for (const select of search.selects) select.dataset.initial = params.get(select.name) ?? "";
  // The filters are folded on a phone (the results come first) unless the address chose one.
  const folded = root.querySelector("[data-search-filters]");
  if (folded && (search.selects.some((select) => select.dataset.initial) || matchMedia("(min-width: 45em)").matches)) {
    folded.open = true;
  }
  let timer = 0;
  const later = () => {
    clearTimeout(timer);
    timer = setTimeout(() => search.search(), 300);
  };
  search.form.addEventListener("submit", (event) => {
    event.preventDefault();
    clearTimeout(timer);
    search.search();
  });
  search.input.addEventListener("input", (event) => {
    // Wait while an input method is still composing a Chinese word.
    if (!event.isComposing) later();
  });
  search.input.addEventListener("compositionend", later);
  for (const select of search.selects) select.addEventListener("change", () => search.search());
  search.allButton?.addEventListener("click", () => search.searchAll());
  search.more.addEventListener("click", async () => {
    const first = await search.showMore();
    first?.querySelector("a")?.focus();
  });
  search.ready.then(
    () => {
      root.dataset.ready = "true";
      search.search();
    },
    (error) => {
      console.error(error);
      search.setStatus("搜索暂时不可用，请稍后再试，或到巡察轮次页面查找通报。");
    },
  );
}

const root = document.querySelector("[data-xuncha-search]");
if (root) start(root);
