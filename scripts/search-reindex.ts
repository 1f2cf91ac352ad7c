import { createOfferSearch } from "#search/engine";
import { reindexAllOffers } from "#search/worker";
import { runTask } from "./cli";

const WIDTH = 30;

await runTask(async (db, config) => {
  const engine = createOfferSearch(db, config);
  const started = Date.now();
  const { done, requeued } = await reindexAllOffers(db, engine, (done, total) => {
    const filled = total ? Math.round((done / total) * WIDTH) : WIDTH;
    process.stdout.write(`\r[${"#".repeat(filled)}${".".repeat(WIDTH - filled)}] ${done}/${total} offers`);
  });
  process.stdout.write(
    `\nReindexed ${done} offers into the ${engine.engine} engine in ${((Date.now() - started) / 1000).toFixed(1)} s; the live index answered searches throughout.\n`,
  );
  if (requeued) process.stdout.write(`${requeued} offers changed during the rebuild; their indexing jobs are queued again.\n`);
});
