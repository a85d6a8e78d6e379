// src/store/store-error.ts
var StoreError = class extends Error {
  name = "StoreError";
};

export {
  StoreError
};
