import { MemoryBus, MemoryBusHub } from '../src/index.js';
import { describeBusContract } from './contracts/bus.contract.js';

describeBusContract('MemoryBus', async ({ checkoutMaxBytes, presenceTtlMs }) => {
  const hub = new MemoryBusHub({ checkoutMaxBytes, presenceTtlMs });
  const nodes = [1, 2, 3].map((n) => new MemoryBus({ nodeId: `node-${n}`, hub })) as [
    MemoryBus,
    MemoryBus,
    MemoryBus,
  ];
  return {
    nodes,
    close: async () => {
      await Promise.all(nodes.map((node) => node.close()));
    },
  };
});
