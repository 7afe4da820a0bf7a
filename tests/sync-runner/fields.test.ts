import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkFields, requestedFields } from '../../sync-runner/fields.ts';

test('requestedFields: mapping keys first, then the defaults, no repeats', () => {
  assert.deepEqual(requestedFields({ weight: 'patient_weight_lb', study_id: 'study_id' }), ['weight', 'study_id', 'record_id', 'redcap_repeat_instrument', 'mri_instance', 'mri_date', 'mri_time', 'family_id', 'youth_dob_y', 'demo_sex']);
});

test('checkFields: id field first, pseudo fields never requested, unknown fields named', () => {
  const result = checkFields(['weight', 'study_id', 'record_id', 'redcap_repeat_instrument', 'mri_date'], ['participant_id', 'study_id', 'mri_date']);
  assert.deepEqual(result.fields, ['participant_id', 'study_id', 'mri_date']);
  assert.deepEqual(result.unknown, ['weight'], 'record_id is only a guess at the id field: no warning when the project calls it otherwise');
});
