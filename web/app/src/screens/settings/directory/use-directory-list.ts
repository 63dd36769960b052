import { useCallback, useEffect, useState } from 'react';
import { ApiError } from '../../../api.js';
import { directoryApi, type DirectorySection } from './directory-api.js';

export interface DirectoryList<Item> {
  /** null while loading. */
  readonly items: Item[] | null;
  readonly error: string | null;
  readonly reload: () => Promise<void>;
}

/** One section of the directory, loaded on mount; `reload` after a change. */
export function useDirectoryList<Item>(section: DirectorySection): DirectoryList<Item> {
  const [items, setItems] = useState<Item[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const reload = useCallback(async () => {
    try {
      const page = await directoryApi.list<Item>(section);
      setItems(page.items);
      setError(null);
    } catch (e) {
      setError(e instanceof ApiError ? e.message : `The ${section} could not be loaded.`);
    }
  }, [section]);
  useEffect(() => {
    void reload();
  }, [reload]);
  return { items, error, reload };
}

/** Select options from a list: label "Name (id)", or the id alone. */
export function optionsOf(
  items: readonly { id: string; name?: string | undefined }[] | null,
): { value: string; label: string }[] {
  return (items ?? []).map((i) => ({
    value: i.id,
    label: i.name === undefined || i.name === '' ? i.id : `${i.name} (${i.id})`,
  }));
}
