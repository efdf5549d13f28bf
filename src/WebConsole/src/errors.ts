import { App, type FormInstance } from 'antd';
import { useCallback } from 'react';
import { ApiError } from './api';
import { useI18n, type Translate } from './i18n';

/** The sentence a person should read for a failed call. */
export function describe(error: unknown, t: Translate, tx: (key: string) => string): string {
  if (!(error instanceof ApiError)) {
    return t('errInternal');
  }
  const d = error.details;
  switch (error.code) {
    case 'NETWORK':
      return t('errNetwork');
    case 'INVALID_CREDENTIALS':
      return error.message;
    case 'ACCESS_DENIED':
      return `${t('errForbidden')} (${error.message})`;
    case 'RESOURCE_NOT_FOUND':
      return t('errNotFound');
    case 'VALIDATION_ERROR':
      return t('errValidation');
    case 'RATE_LIMITED':
      return t('errRateLimited', { seconds: Number(d.retry_after_seconds ?? 60) });
    case 'TASK_LIMIT_EXCEEDED':
      return t('errTaskLimit');
    case 'SERVER_UNAVAILABLE':
      return d.maintenance ? t('errMaintenance', { message: error.message }) : t('errUnavailable');
    case 'INSUFFICIENT_BALANCE':
      return t('errBalance', { required: Number(d.required ?? 0).toFixed(2), available: Number(d.available ?? 0).toFixed(2) });
    case 'INVALID_RECHARGE_CODE':
      return tx('errCode_' + String(d.reason ?? 'not_found'));
    case 'RESOURCE_CONFLICT':
      return `${t('errConflict')}: ${error.message}`;
    case 'INVALID_STATE':
      return `${t('errInvalidState')}: ${error.message}`;
    case 'PAYLOAD_TOO_LARGE':
      return t('errTooLarge');
    default:
      return error.status >= 500 ? t('errInternal') : error.message;
  }
}

/**
 * Reports a failed call: field errors go next to their fields when a form is given (the API names fields in
 * snake_case, as the forms do), everything else as a message at the top. A 401 needs no message here: the app
 * sends the user to sign in.
 */
export function useReport() {
  const { message } = App.useApp();
  const { t, tx } = useI18n();
  return useCallback((error: unknown, form?: FormInstance) => {
    if (error instanceof ApiError && error.status === 401 && error.code !== 'INVALID_CREDENTIALS') {
      return;
    }
    if (form && error instanceof ApiError) {
      const fields = Object.entries(error.fieldErrors);
      const known = fields.filter(([name]) => form.getFieldInstance(name) !== undefined || form.getFieldValue(name) !== undefined);
      if (known.length > 0) {
        form.setFields(known.map(([name, errors]) => ({ name, errors })));
      }
      if (error.code === 'RESOURCE_CONFLICT' && typeof error.details.field === 'string') {
        form.setFields([{ name: error.details.field, errors: [error.message] }]);
      }
      if (known.length > 0 && known.length === fields.length) {
        return;
      }
    }
    const extra = error instanceof ApiError && error.code === 'VALIDATION_ERROR'
      ? ': ' + Object.entries(error.fieldErrors).map(([k, v]) => `${k} ${v.join(', ')}`).join('; ')
      : '';
    void message.error(describe(error, t, tx) + extra);
  }, [message, t, tx]);
}
