/**
 * Cinder: a Spark-style compute engine over Apache Arrow that runs where
 * JavaScript runs.
 *
 * @example
 * import { Session, col, sum } from "cinder";
 * const session = new Session();
 * const df = session.createDataFrame([{ k: "a", v: 1 }, { k: "a", v: 2 }]);
 * console.log(await df.groupBy("k").agg(sum("v").alias("total")).collect());
 */
export { Session } from "./api/session.ts";
export type { CreateDataFrameOptions, SchemaSpec, ExecutionBackend, QueryMetrics } from "./api/session.ts";
export { DataFrame } from "./api/data-frame.ts";
export { FutureAction } from "./api/future-action.ts";
export type { Row } from "./api/data-frame.ts";
export type { StorageLevel } from "./executor/task.ts";
export { Column } from "./api/column.ts";
export type { ColumnLike } from "./api/column.ts";
export { GroupedData } from "./api/grouped-data.ts";
export { Window, WindowSpec } from "./api/window.ts";
export { DataFrameReader } from "./api/data-frame-reader.ts";
export { DataFrameWriter } from "./api/data-frame-writer.ts";
export type { SaveMode, FileFormat } from "./api/data-frame-writer.ts";
export * from "./api/functions.ts";
export {
  CinderError, AnalysisError, ParseError, ExecutionError, IOError, ResultTooLargeError,
  ExecutorLostError, FetchFailedError, UnsupportedError, InternalError,
} from "./common/errors.ts";
export type { ErrorCode, SerializedError } from "./common/errors.ts";
export { Config, CONFIG_DEFAULTS } from "./common/config.ts";
export type { ConfigValues, ConfigKey, ConfigInput } from "./common/config.ts";
export type { RunOptions } from "./common/cancellation.ts";
export type { DataType, Field } from "./types/data-types.ts";
export { typeToString } from "./types/data-types.ts";
export type { CellValue } from "./exec/values.ts";
export { Cluster } from "./cluster/cluster.ts";
export type { ClusterOptions, ExecutorKind } from "./cluster/cluster.ts";
export type { CinderEvent, CinderEventType, ScanMetricsSnapshot } from "./common/events.ts";
export type { ByteSource, ByteRange, FetchStats } from "./io/byte-source.ts";
export type { ParquetInput, ParquetReadOptions } from "./io/parquet-footers.ts";
export { RDD } from "./rdd/rdd.ts";
export { Broadcast } from "./rdd/broadcast.ts";
export { NotSerializableError } from "./rdd/function-serializer.ts";
export type { FunctionEnv } from "./rdd/function-serializer.ts";
export { UserFunctionError, CodeGenerationError } from "./physical/operators/rdd-function.ts";
