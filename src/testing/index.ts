/** Test helpers, published as `orchestrate/testing`. */
export { ScriptedModel, type ScriptedTurn } from './scripted-model.js';
