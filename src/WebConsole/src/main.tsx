import { StrictMode, useCallback, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router';
import { App as AntApp, ConfigProvider } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { I18nProvider, initialLang, type Lang } from './i18n';
import { AuthProvider } from './auth';
import { Shell } from './Shell';
import './styles.css';

function Root() {
  const [lang, setLang] = useState<Lang>(initialLang);
  const onChange = useCallback((next: Lang) => {
    dayjs.locale(next === 'zh-CN' ? 'zh-cn' : 'en');
    setLang(next);
  }, []);
  dayjs.locale(lang === 'zh-CN' ? 'zh-cn' : 'en');
  return (
    <ConfigProvider locale={lang === 'zh-CN' ? zhCN : enUS} theme={{ token: { colorPrimary: '#3b5bdb', borderRadius: 6 } }}>
      <AntApp>
        <I18nProvider lang={lang} onChange={onChange}>
          <BrowserRouter>
            <AuthProvider>
              <Shell />
            </AuthProvider>
          </BrowserRouter>
        </I18nProvider>
      </AntApp>
    </ConfigProvider>
  );
}

document.documentElement.lang = initialLang();
createRoot(document.getElementById('root')!).render(<StrictMode><Root /></StrictMode>);
