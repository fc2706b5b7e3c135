/**
 * Promise wrappers over IndexedDB. A transaction is the unit of durability: `tx()` resolves
 * only when the transaction has committed (its `complete` event), so a caller that awaits it
 * may act on the result (acknowledge a message, send a ciphertext) knowing it is stored.
 */

/** Opens (and, on version change, upgrades) a database. */
export function openDatabase(name, version, upgrade) {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(name, version);
    request.onupgradeneeded = (event) => upgrade(request.result, event.oldVersion, request.transaction);
    request.onsuccess = () => {
      const db = request.result;
      // Another tab deleting or upgrading this database: let it proceed.
      db.onversionchange = () => db.close();
      resolve(db);
    };
    request.onerror = () => reject(request.error);
    request.onblocked = () => reject(new Error(`database ${name} is blocked by another tab`));
  });
}

export function deleteDatabase(name) {
  return new Promise((resolve, reject) => {
    const request = indexedDB.deleteDatabase(name);
    request.onsuccess = () => resolve();
    request.onerror = () => reject(request.error);
    request.onblocked = () => resolve();
  });
}

/** Resolves an IDBRequest. */
export function done(request) {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

/**
 * Runs `work(stores)` in one transaction over `storeNames` and resolves with its return value
 * after the commit. `work` may await requests of this transaction only (awaiting anything
 * else lets the transaction auto-commit early).
 */
export function tx(db, storeNames, mode, work) {
  return new Promise((resolve, reject) => {
    const names = Array.isArray(storeNames) ? storeNames : [storeNames];
    const transaction = db.transaction(names, mode, { durability: 'strict' });
    const stores = Object.fromEntries(names.map((n) => [n, transaction.objectStore(n)]));
    let result;
    transaction.oncomplete = () => resolve(result);
    transaction.onerror = () => reject(transaction.error);
    transaction.onabort = () => reject(transaction.error ?? new Error('transaction aborted'));
    Promise.resolve()
      .then(() => work(stores, transaction))
      .then((value) => { result = value; }, (error) => {
        try {
          transaction.abort();
        } catch {
          // already finished
        }
        reject(error);
      });
  });
}

/** All values of a store or index range, in key order. */
export function getAll(source, query, count) {
  return done(source.getAll(query, count));
}
