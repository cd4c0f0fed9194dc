// A small ONNX graph builder over ProtoWriter. Field numbers follow onnx.proto
// (ModelProto, GraphProto, NodeProto, AttributeProto, TensorProto, ValueInfoProto).
import { ProtoWriter } from './protobuf.ts';

export const DataType = { FLOAT: 1, UINT8: 2, INT8: 3, INT32: 6, INT64: 7 } as const;
export type DataTypeId = (typeof DataType)[keyof typeof DataType];

export type AttrValue = { int: number } | { float: number } | { ints: readonly number[] } | { string: string };

export interface ValueInfo {
  name: string;
  elemType: DataTypeId;
  /** number = fixed size, string = symbolic dimension */
  shape: readonly (number | string)[];
}

interface NodeDef {
  op: string;
  inputs: readonly string[];
  outputs: readonly string[];
  name: string;
  domain: string;
  attrs: Record<string, AttrValue>;
}

interface InitDef {
  name: string;
  dataType: DataTypeId;
  dims: readonly number[];
  raw: Uint8Array;
}

type TensorData = Float32Array | BigInt64Array | Int8Array | Uint8Array | Int32Array;

export class GraphBuilder {
  private nodes: NodeDef[] = [];
  private inits: InitDef[] = [];
  private counter = 0;

  /** Adds a constant tensor (weights) and returns its name. */
  init(name: string, dataType: DataTypeId, dims: readonly number[], data: TensorData): string {
    const expected = dims.reduce((a, b) => a * b, 1);
    if (data.length !== expected) throw new Error(`initializer ${name}: ${data.length} values for dims ${dims}`);
    const raw = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    this.inits.push({ name, dataType, dims, raw });
    return name;
  }

  f32(name: string, dims: readonly number[], data: Float32Array): string {
    return this.init(name, DataType.FLOAT, dims, data);
  }

  i64(name: string, values: readonly number[]): string {
    return this.init(name, DataType.INT64, [values.length], BigInt64Array.from(values.map(BigInt)));
  }

  /** Adds a node; returns its output names (fresh names unless given). */
  opN(op: string, inputs: readonly string[], nOutputs: number, attrs: Record<string, AttrValue> = {}, domain = ''): string[] {
    const id = this.counter++;
    const outputs = Array.from({ length: nOutputs }, (_, i) => `${op.toLowerCase()}_${id}_${i}`);
    this.nodes.push({ op, inputs, outputs, name: `${op}_${id}`, domain, attrs });
    return outputs;
  }

  op(op: string, inputs: readonly string[], attrs: Record<string, AttrValue> = {}, domain = ''): string {
    return this.opN(op, inputs, 1, attrs, domain)[0]!;
  }

  /** Renames the output of the last node (to expose a graph output by name). */
  nameLast(name: string): string {
    const last = this.nodes[this.nodes.length - 1];
    if (!last) throw new Error('no node to name');
    last.outputs = [name, ...last.outputs.slice(1)];
    return name;
  }

  toModel(opts: {
    inputs: readonly ValueInfo[];
    outputs: readonly ValueInfo[];
    opset: number;
    producer: string;
    graphName: string;
    docString?: string;
  }): Uint8Array {
    const w = new ProtoWriter();
    w.int(1, 8); // ir_version
    w.string(2, opts.producer);
    w.string(3, '1');
    if (opts.docString) w.string(6, opts.docString);
    w.message(7, (g) => {
      for (const n of this.nodes) g.message(1, (nw) => writeNode(nw, n));
      g.string(2, opts.graphName);
      for (const t of this.inits) g.message(5, (tw) => writeTensor(tw, t));
      for (const v of opts.inputs) g.message(11, (vw) => writeValueInfo(vw, v));
      for (const v of opts.outputs) g.message(12, (vw) => writeValueInfo(vw, v));
    });
    w.message(8, (o) => o.string(1, '').int(2, opts.opset));
    return w.finish();
  }
}

function writeNode(w: ProtoWriter, n: NodeDef): void {
  for (const i of n.inputs) w.string(1, i);
  for (const o of n.outputs) w.string(2, o);
  w.string(3, n.name);
  w.string(4, n.op);
  for (const [name, value] of Object.entries(n.attrs)) {
    w.message(5, (a) => {
      a.string(1, name);
      if ('int' in value) a.int(3, value.int).int(20, 2);
      else if ('float' in value) a.float(2, value.float).int(20, 1);
      else if ('ints' in value) {
        for (const i of value.ints) a.int(8, i);
        a.int(20, 7);
      } else a.string(4, value.string).int(20, 3);
    });
  }
  if (n.domain) w.string(7, n.domain);
}

function writeTensor(w: ProtoWriter, t: InitDef): void {
  for (const d of t.dims) w.int(1, d);
  w.int(2, t.dataType);
  w.string(8, t.name);
  w.bytes(9, t.raw);
}

function writeValueInfo(w: ProtoWriter, v: ValueInfo): void {
  w.string(1, v.name);
  w.message(2, (type) =>
    type.message(1, (tensor) => {
      tensor.int(1, v.elemType);
      tensor.message(2, (shape) => {
        for (const d of v.shape) {
          shape.message(1, (dim) => (typeof d === 'number' ? dim.int(1, d) : dim.string(2, d)));
        }
      });
    }),
  );
}
