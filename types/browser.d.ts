// What our scripts share in the browser, for TypeScript's check of them (make lint-js);
// nothing here reaches a page. The scripts use one global of Sphinx's, Search
// (searchtools.js): add any other here when a script uses it.

/** The reader's saved progress, as read() returns it (learn-progress.js). */
interface LearnProgress {
  /** A tutorial's document name -> the day it was marked done (YYYY-MM-DD). */
  done: Record<string, string>;
  /** A checklist's id -> the keys of its ticked steps. */
  checklists: Record<string, string[]>;
}

/** What the progress script exposes as window.sphinxNumpyLearn to the scripts after it. */
interface SphinxNumpyLearn {
  /** Whether localStorage can be used; without it nothing else here does anything. */
  available: boolean;
  read(): LearnProgress;
  write(data: LearnProgress): void;
  /** Runs every onChange() callback again. */
  changed(): void;
  onChange(show: () => void): void;
  /** The elements below `within` (the document by default) that match `selector`. */
  all(selector: string, within?: ParentNode): HTMLElement[];
  /** False for no document (a missing name or ""). */
  isDone(data: LearnProgress, doc: string | undefined): boolean;
  /** A data attribute written at build time (by its dataset name); "" when missing. */
  label(el: HTMLElement, name: string): string;
}

interface Window {
  sphinxNumpyLearn?: SphinxNumpyLearn;
}

// -- Where the DOM library's types are looser than our pages --------------------------------

interface ParentNode {
  // Every element our scripts select is an HTML element (class names and tags the
  // build writes): a bare selector gives an HTMLElement, not just an Element.
  // (The library's overloads for tag names come first again, as they do there.)
  querySelector<K extends keyof HTMLElementTagNameMap>(selectors: K): HTMLElementTagNameMap[K] | null;
  querySelector<E extends Element = HTMLElement>(selectors: string): E | null;
  querySelectorAll<K extends keyof HTMLElementTagNameMap>(selectors: K): NodeListOf<HTMLElementTagNameMap[K]>;
  querySelectorAll<E extends Element = HTMLElement>(selectors: string): NodeListOf<E>;
}

interface Node {
  // A copy is of its original's type.
  cloneNode<T extends Node>(this: T, deep?: boolean): T;
}

interface JSON {
  // No saved progress: localStorage.getItem() gives null, which parses as null.
  parse(text: string | null): any;
}

interface String {
  // The labels' placeholders ("{done}") take counts: replace() converts a replacement
  // that is not a function to a string.
  replace(searchValue: string | RegExp, replaceValue: number): string;
}

/** A catalog's filter form (catalog.py): its selects, when the catalog offers the choice. */
interface LearnCatalogFilters extends HTMLFormElement {
  readonly elements: HTMLFormControlsCollection & {
    tag?: HTMLSelectElement;
    audience?: HTMLSelectElement;
  };
}

/** Sphinx's search (searchtools.js), where a page loads it: the part we use. */
declare const Search: {
  /** Adds a script tag for the index; the index calls Search.setIndex. */
  loadIndex(url: string): void;
} | undefined;
