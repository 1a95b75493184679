// Regenerates the bundled sample data (run from the project root: npx tsx demo/data/generate.ts).
import { DuckDBInstance } from "@duckdb/node-api";
const db = await DuckDBInstance.create(":memory:");
const c = await db.connect();
await c.run(`COPY (SELECT i::INTEGER AS trip_id,
   (TIMESTAMP '2024-01-01' + to_seconds((hash(i) % 2592000)::BIGINT))::TIMESTAMP AS pickup_at,
   (1 + hash(i * 3) % 40)::INTEGER AS pickup_zone,
   (1 + hash(i * 7) % 40)::INTEGER AS dropoff_zone,
   (1 + hash(i * 11) % 4)::INTEGER AS passengers,
   round(0.3 + (hash(i * 13) % 2000) / 100.0, 2)::DOUBLE AS distance_km,
   (3.5 + (hash(i * 17) % 6000) / 100.0)::DECIMAL(8,2) AS fare,
   CASE WHEN hash(i * 19) % 10 = 0 THEN NULL ELSE ((hash(i * 23) % 800) / 100.0)::DECIMAL(8,2) END AS tip,
   (['card','cash','card','app'])[1 + (hash(i * 29) % 4)::INTEGER] AS payment
  FROM range(50000) t(i)) TO 'demo/data/trips.parquet' (FORMAT parquet, ROW_GROUP_SIZE 10000)`);
await c.run(`COPY (SELECT i::INTEGER AS zone_id, ('Zone ' || i) AS zone_name,
   (['Harbor','Old Town','University','Airport','Riverside'])[1 + (i % 5)::INTEGER] AS borough
  FROM range(1, 41) t(i)) TO 'demo/data/zones.parquet' (FORMAT parquet)`);
