/**
 * `npm start`: runs a few queries on a bundled sample dataset and prints
 * the results (the notebook replaces this once it exists).
 */
import { Session, col, sum, avg, count } from "../src/index.ts";

const session = new Session({ "shuffle.partitions": 4 });
const rows = Array.from({ length: 1000 }, (_, i) => ({ id: i, region: ["north", "south", "east", "west"][i % 4]!, amount: (i * 37) % 101 }));
const sales = session.createDataFrame(rows, { numPartitions: 2 });
console.log("Sales by region:");
await sales.groupBy("region").agg(count("*").alias("orders"), sum("amount").alias("total"), avg("amount").alias("mean")).orderBy(col("total").desc()).show();
console.log(sales.filter(col("amount").gt(90)).groupBy("region").agg(sum("amount")).explain());
