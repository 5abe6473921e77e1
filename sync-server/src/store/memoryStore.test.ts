import { MemoryStore } from './memoryStore.ts';
import { storeContract } from './storeContract.ts';

storeContract('memory', () => ({ open: () => new MemoryStore(), persistent: false, cleanup: async () => {} }));
